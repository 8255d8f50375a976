import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('npm test says once why tests were skipped, and removes (and names) the temp folders tests leave behind', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'puzzle-reports-'));
  try {
    const leakNote = join(scratch, 'leak.txt');
    const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tools/test/fixture/vitest.config.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PUZZLE_FIXTURE_LEAK: leakNote, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.includes('tests skipped'))).toEqual(['[puzzle] 4 tests skipped:']);
    expect(lines).toContain('[puzzle]   3 × no widget here (tools/test/fixture/reports.fixture.ts)');
    expect(lines).toContain('[puzzle]   1 × no reason given (tools/test/fixture/reports.fixture.ts)');
    const leaked = readFileSync(leakNote, 'utf8');
    expect(leaked.startsWith(join(tmpdir(), 'puzzle-test-run-'))).toBe(true);
    expect(existsSync(leaked)).toBe(false);
    expect(lines.filter((l) => l.startsWith('[puzzle] tests left'))).toEqual([`[puzzle] tests left 1 temp entry behind (removed now): ${leaked.split('/').at(-1)}`]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
