import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipNote } from '@puzzle/testing';
import { afterAll, expect, it } from 'vitest';

const buildScript = fileURLToPath(new URL('./build.mjs', import.meta.url));
const noNvcc = { ...process.env, PUZZLE_NVCC: '/nonexistent/bin/nvcc' };

it('prints one line and succeeds when there is no nvcc', () => {
  const r = spawnSync(process.execPath, [buildScript], { encoding: 'utf8', env: { ...noNvcc, PUZZLE_NATIVE_SIM: '0' } });
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual(['[puzzle] nvcc not found: skipping the cuda addon (the tfjs engine still works)']);
  expect(r.stderr).toBe('');
});

// Up to date after `npm ci` (it builds both); a stale simulator is rebuilt here, which takes a minute on 2 cores.
it('builds the CUDA simulator with the host compiler alone, nvcc or not', { timeout: 300_000 }, () => {
  const r = spawnSync(process.execPath, [buildScript], { encoding: 'utf8', env: noNvcc });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toBe('[puzzle] nvcc not found: skipping the cuda addon (the tfjs engine still works)');
  expect(lines.filter((l) => !/compiling|objects compiled \(/.test(l))[1]).toMatch(/^\[puzzle\] cuda simulator: (built packages\/backend\/build\/puzzle_cuda_sim\.node \(\d+ of \d+ objects compiled, host C\+\+, runs on the CPU\)|packages\/backend\/build\/puzzle_cuda_sim\.node is up to date) /);
});

const scratch = mkdtempSync(join(tmpdir(), 'puzzle-native-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable shell script in the scratch folder. */
function script(name: string, body: string): string {
  const file = join(scratch, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const driverHere = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' }).stdout?.includes('libcuda.so.1') ?? false;

it.skipIf(driverHere)(`skips the cuda addon at once where nvcc exists but no NVIDIA driver, saying how to build it anyway${skipNote(driverHere, 'the NVIDIA driver is installed here')}`, () => {
  const fakeNvcc = script('nvcc', 'exit 0');
  const started = Date.now();
  const r = spawnSync(process.execPath, [buildScript], { encoding: 'utf8', env: { ...process.env, PUZZLE_NVCC: fakeNvcc, PUZZLE_NATIVE_SIM: '0', PUZZLE_NATIVE_CUDA: '' } });
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual([
    '[puzzle] no NVIDIA driver here (libcuda.so.1 not found): skipping the cuda addon, which could not run; PUZZLE_NATIVE_CUDA=1 builds it anyway',
  ]);
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('says what it compiles and how far it got while objects compile (npm ci was silent for 80 s)', () => {
  // A compiler that takes 50 ms per object and refuses to link, into a build folder of the test's own.
  const fakeCxx = script('cxx', 'out=""; prev=""\nfor a in "$@"; do [ "$prev" = "-o" ] && out="$a"; [ "$a" = "-shared" ] && exit 1; prev="$a"; done\nsleep 0.05; : > "$out"');
  const r = spawnSync(process.execPath, [buildScript], {
    encoding: 'utf8',
    env: { ...noNvcc, CXX: fakeCxx, PUZZLE_NATIVE_BUILD_DIR: join(scratch, 'build'), PUZZLE_NATIVE_PROGRESS_SECONDS: '0.2' },
  });
  const lines = r.stdout.trim().split('\n');
  expect(lines[1]).toMatch(/^\[puzzle\] cuda simulator: compiling (\d+) of \1 objects for .*puzzle_cuda_sim\.node \(a minute or more on 2 cores\)…$/);
  const progress = lines.filter((l) => /^\[puzzle\] native build: \d+ of \d+ objects compiled \(\d+\.\d s\)$/.test(l));
  expect(progress.length).toBeGreaterThan(0);
  expect(r.status).toBe(1);
});
