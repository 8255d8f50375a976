import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./build.mjs', import.meta.url));
const noNvcc = { ...process.env, PUZZLE_NVCC: '/nonexistent/bin/nvcc' };

it('prints one line and succeeds when there is no nvcc', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...noNvcc, PUZZLE_NATIVE_SIM: '0' } });
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual(['[puzzle] nvcc not found: skipping the cuda addon (the tfjs engine still works)']);
  expect(r.stderr).toBe('');
});

// Up to date after `npm ci` (it builds both); a stale simulator is rebuilt here, which takes a minute on 2 cores.
it('builds the CUDA simulator with the host compiler alone, nvcc or not', { timeout: 300_000 }, () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: noNvcc });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toBe('[puzzle] nvcc not found: skipping the cuda addon (the tfjs engine still works)');
  expect(lines[1]).toMatch(/^\[puzzle\] cuda simulator: (built packages\/backend\/build\/puzzle_cuda_sim\.node \(\d+ of \d+ objects compiled, host C\+\+, runs on the CPU\)|packages\/backend\/build\/puzzle_cuda_sim\.node is up to date) /);
});
