// `npm run lint [-- files]`: eslint over the repository, or over the files given, after building nx's project graph.
// The module-boundary rule reads the graph from nx's cache; on a fresh clone there is none, and eslint alone skipped
// the rule with one "No cached ProjectGraph" warning per file (285 of them). Extra eslint options pass through.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

const graph = spawnSync(bin('nx'), ['show', 'projects', '--json'], { cwd: root, env, encoding: 'utf8' });
if (graph.status !== 0) {
  process.stderr.write(`[puzzle] lint: nx could not build the project graph:\n${graph.stderr}${graph.stdout}`);
  process.exit(graph.status ?? 1);
}
const args = process.argv.slice(2);
const lint = spawnSync(bin('eslint'), args.some((a) => !a.startsWith('-')) ? args : [...args, '.'], { cwd: root, env, stdio: 'inherit' });
process.exit(lint.status ?? 1);
