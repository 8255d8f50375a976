import { mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** @puzzle/* from their sources (as the tests see them); every other package and node: stays an import. */
const sourcesOnly: Plugin = {
  name: 'puzzle-sources',
  setup(b) {
    b.onResolve({ filter: /^@puzzle\/[\w-]+$/ }, (args) => ({ path: join(root, 'packages', args.path.slice('@puzzle/'.length), 'src', 'index.ts') }));
    b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

export interface ChildScript extends AsyncDisposable {
  /** The bundle to run with plain `node`. */
  readonly path: string;
}

/**
 * A TypeScript script bundled with esbuild for a child process, against the sources the tests run: plain `node`
 * starts it in a fraction of a second, where tsx would spend seconds transforming h5wasm for every child. The
 * bundle lives under node_modules/.cache (so that its package imports resolve) and goes with `await using`.
 * NOTE: the bundle is for the tfjs engine: the cuda addon is found relative to the backend's own files.
 */
export async function bundleChildScript(entry: string): Promise<ChildScript> {
  const dir = join(root, 'node_modules', '.cache', 'puzzle-child-scripts', randomBytes(6).toString('hex'));
  await mkdir(dir, { recursive: true });
  // Imported here, not at the top: every test file imports @puzzle/testing, few bundle a script.
  const { build } = await import('esbuild');
  const path = join(dir, `${basename(entry, '.ts')}.mjs`);
  await build({ entryPoints: [entry], outfile: path, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', plugins: [sourcesOnly] });
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}
