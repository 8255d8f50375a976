import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Linear } from '../linear.js';
import { h5wasmLoaded } from './h5wasm-lib.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const recorder = join(root, 'packages/testing/src/record-loads/register.mjs');
const script = fileURLToPath(new URL('../../../../tools/test/import-everything.ts', import.meta.url));

describe('h5wasm is loaded lazily', () => {
  it('a tsx script that imports every package does not load h5wasm (tsx spends seconds transforming it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'puzzle-loads-'));
    try {
      const loads = join(dir, 'loads.txt');
      const run = spawnSync(process.execPath, ['--import', recorder, '--import', 'tsx', script], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PUZZLE_RECORD_LOADS: loads, TSX_TSCONFIG_PATH: 'tsconfig.spec.json' },
      });
      expect(run.stdout.trim(), run.stderr).toBe('imported');
      const urls = (await readFile(loads, 'utf8')).trim().split('\n');
      expect(urls).toContain(`file://${join(root, 'packages/modules/src/index.ts')}`);
      expect(urls.filter((url) => url.includes('/node_modules/h5wasm/'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the first checkpoint use loads it', async () => {
    const lin = new Linear(2, 2);
    expect(h5wasmLoaded()).toBe(false);
    await lin.save();
    expect(h5wasmLoaded()).toBe(true);
    lin.dispose();
  });
});
