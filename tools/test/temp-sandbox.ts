// vitest globalSetup: the whole run gets a temp folder of its own (TMPDIR, inherited by the test processes and their
// children), removed at the end, so no run leaves anything in the system's temp folder, even a test that crashed
// mid-way. What tests forgot to remove is named in one line, so the leak itself still shows.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Caches that tools keep in the temp folder on purpose (tsx's transforms): not leaks. */
const CACHES = /^tsx-/;

let sandbox: string | null = null;
const saved: Record<string, string | undefined> = {};

export async function setup(): Promise<void> {
  sandbox = await mkdtemp(join(tmpdir(), 'puzzle-test-run-'));
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) {
    saved[name] = process.env[name];
    process.env[name] = sandbox;
  }
}

export async function teardown(): Promise<void> {
  if (sandbox === null) return;
  const left = (await readdir(sandbox)).filter((name) => !CACHES.test(name));
  if (left.length > 0) process.stdout.write(`[puzzle] tests left ${left.length} temp entr${left.length === 1 ? 'y' : 'ies'} behind (removed now): ${left.join(', ')}\n`);
  await rm(sandbox, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  sandbox = null;
}
