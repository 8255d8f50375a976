import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('npm run lint builds the project graph itself: on a fresh clone the module-boundary rule runs (it was skipped with a warning per file)', () => {
  // A fresh clone: nx's cache folder is empty.
  const cache = mkdtempSync(join(tmpdir(), 'puzzle-nx-'));
  try {
    // The backend may not import the framework: a file that does is an error only when the rule runs.
    const run = spawnSync('npm', ['run', '--silent', 'lint', '--', '--stdin', '--stdin-filename', 'packages/backend/src/probe.ts'], {
      cwd: root,
      encoding: 'utf8',
      input: "import { Linear } from '@puzzle/modules';\nexport const probe = Linear;\n",
      env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: cache },
    });
    const output = run.stdout + run.stderr;
    expect(output).not.toContain('No cached ProjectGraph');
    expect(output).toMatch(/@nx\/enforce-module-boundaries/);
    expect(output).toMatch(/1:1 +error +.*"@puzzle\/backend" .*"@puzzle\/modules"/);
    expect(run.status).toBe(1);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
