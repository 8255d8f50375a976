import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@puzzle/backend';
import { Linear } from '@puzzle/modules';
import { bundleChildScript } from '@puzzle/testing';
import { describe, expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { loadCheckpoint, saveCheckpoint } from './training-checkpoint.js';

const KILLS = 12;
const SIZE = 256;

/** Starts the saving loop and kills it (SIGKILL) `delayMs` after its first completed save. */
async function killMidLoop(script: string, path: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [script, path, String(SIZE)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PUZZLE_QUIET: '1' } });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`the saving child exited (${code}) before its first save`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exited;
}

/** Every value of every variable and state array, which the loop sets all to its iteration. */
function distinctValues(module: Linear, optimizer: Adam): number[] {
  const arrays = [...module.getVarTable().keys()].map((v) => v.data).concat(Object.values(optimizer.stateDict()));
  return [...new Set(arrays.flatMap((a) => [...new Set(a.get().data)]))];
}

describe('a training checkpoint killed mid-save', () => {
  it(`loads whole, with model and optimizer from one iteration, after ${KILLS} kills at random moments; the next save leaves no temp file`, async () => {
    await using child = await bundleChildScript(fileURLToPath(new URL('../test-support/checkpoint-loop.ts', import.meta.url)));
    const dir = await mkdtemp(join(tmpdir(), 'puzzle-kill-'));
    const path = join(dir, 'train.hdf');
    const module = new Linear(SIZE, SIZE);
    const optimizer = new Adam();
    optimizer.setupOn(module, { useGlobalState: true });
    const rng = new Rng(20);
    let killsMidWrite = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        await killMidLoop(child.path, path, Math.floor(rng.uniform() * 120));
        if ((await readdir(dir)).some((f) => f.endsWith('.tmp'))) killsMidWrite++;
        const { iteration } = await loadCheckpoint(path, { module, optimizer });
        expect(iteration).toBeGreaterThanOrEqual(1);
        expect([optimizer.t, ...distinctValues(module, optimizer)]).toEqual([iteration, iteration]);
        await saveCheckpoint(path, { module, optimizer }, { meta: { iteration: iteration! } });
        expect(await readdir(dir)).toEqual(['train.hdf']);
      }
      // Most kills land inside a save (the loop does little else); if none did, the test proved nothing.
      expect(killsMidWrite).toBeGreaterThan(0);
      expect(existsSync(path)).toBe(true);
    } finally {
      optimizer.dispose();
      module.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
