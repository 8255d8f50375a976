import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./build.mjs', import.meta.url));

it('prints one line and succeeds when there is no nvcc', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, PUZZLE_NVCC: '/nonexistent/bin/nvcc' } });
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual(['[puzzle] nvcc not found: skipping the cuda addon (the tfjs engine still works)']);
  expect(r.stderr).toBe('');
});
