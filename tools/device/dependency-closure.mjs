// Prints, one per line, the node_modules folders (relative to the repository root) that the named packages need at
// run time: their dependencies, optional dependencies that are installed, and required peers, transitively.
// Used by prepare.sh to carry a pruned node_modules to the GPU machine, which has no network and no npm.
//
// Usage: node tools/device/dependency-closure.mjs vitest @tensorflow/tfjs-core ...
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Node's lookup: node_modules/<name> in `from` and its parents, up to the repository root. */
function locate(name, from) {
  for (let dir = from; dir.startsWith(root); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root) break;
  }
  return null;
}

const seen = new Set();

function visit(dir) {
  if (seen.has(dir)) return;
  seen.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const optionalPeers = pkg.peerDependenciesMeta ?? {};
  const names = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
  ];
  for (const name of names) {
    const found = locate(name, dir);
    if (found) visit(found); // optional dependencies for other platforms are simply not installed
  }
}

for (const name of process.argv.slice(2)) {
  const found = locate(name, root);
  if (!found) {
    console.error(`dependency-closure: ${name} is not installed`);
    process.exit(1);
  }
  visit(found);
}
for (const dir of [...seen].sort()) console.log(path.relative(root, dir));
