import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const recorder = join(root, 'packages/testing/src/record-loads/register.mjs');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

it('npm run example runs the sources, as the benches do, and loads no h5wasm (it ran dist/, so an edit showed in one and not the other)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puzzle-example-loads-'));
  try {
    const loads = join(dir, 'loads.txt');
    const run = spawnSync('npm', ['run', '--silent', 'example'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--import ${recorder}`, PUZZLE_RECORD_LOADS: loads, PUZZLE_BACKEND: 'tfjs' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Engine: tfjs/);
    const urls = readFileSync(loads, 'utf8').split('\n');
    const ours = urls.filter((url) => url.startsWith(`file://${root}packages/`));
    expect(ours).toContain(`file://${root}packages/backend/src/index.ts`);
    expect(ours.filter((url) => url.includes('/dist/'))).toEqual([]);
    expect(urls.filter((url) => url.includes('/node_modules/h5wasm/'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, command] of Object.entries(scripts)) {
    if (/^(example|bench)/.test(name)) expect(command, `npm run ${name}`).toContain('tsconfig.spec.json');
  }
});
