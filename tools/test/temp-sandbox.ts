// vitest globalSetup: the whole run gets a temp folder of its own (TMPDIR, inherited by the test processes and their
// children), removed at the end, so no run leaves anything in the system's temp folder, even a test that crashed
// mid-way. What tests forgot to remove is named in one line, so the leak itself still shows.
import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What tools keep in the temp folder on purpose, not leaks: tsx's transforms, and onnxruntime's session-id file and
 * per-process debug log (every InferenceSession.create writes them).
 */
const CACHES = /^(tsx-|\.ses$|mat-debug-\d+\.log$)/;

/**
 * One sandbox per run however many vitest projects run this setup (each project calls it, in one process, possibly
 * through separate module instances): the first creates it, the last to finish removes it.
 */
interface Shared {
  dir: string;
  users: number;
  saved: Record<string, string | undefined>;
}
const key = Symbol.for('puzzle.test.temp-sandbox');
const registry = globalThis as { [key]?: Shared };

export function setup(): void {
  const existing = registry[key];
  if (existing) {
    existing.users++;
    return;
  }
  // Synchronous, so that projects setting up at once see the first one's sandbox.
  const dir = mkdtempSync(join(tmpdir(), 'puzzle-test-run-'));
  const saved: Record<string, string | undefined> = {};
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) {
    saved[name] = process.env[name];
    process.env[name] = dir;
  }
  registry[key] = { dir, users: 1, saved };
}

export async function teardown(): Promise<void> {
  const shared = registry[key];
  if (!shared || --shared.users > 0) return;
  delete registry[key];
  const { dir: sandbox, saved } = shared;
  const left = (await readdir(sandbox)).filter((name) => !CACHES.test(name));
  if (left.length > 0) process.stdout.write(`[puzzle] tests left ${left.length} temp entr${left.length === 1 ? 'y' : 'ies'} behind (removed now): ${left.join(', ')}\n`);
  await rm(sandbox, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
