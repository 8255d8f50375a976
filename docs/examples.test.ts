import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getBackend, setBackend, type EngineName } from '@puzzle/backend';
import { cudaUnderTest } from '@puzzle/testing';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const docs = join(root, 'docs');
const seedExample = join(docs, 'examples', 'adam.ts');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
/** Set for the examples: one that takes long must shorten itself when it sees this. */
const QUICK = 'PUZZLE_EXAMPLE_QUICK';

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(path, suffix);
    return e.name.endsWith(suffix) && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Values of "... #N error: E" lines, in order. */
function errorsIn(lines: string[]): number[] {
  return lines.flatMap((line) => {
    const m = /#\d+ error: (\S+)$/.exec(line);
    return m ? [Number(m[1])] : [];
  });
}

/** The cuda engine here: the GPU, or the CUDA simulator where none answers (PUZZLE_CUDA_SIM=1 then, inherited below). */
const cuda = cudaUnderTest();

/**
 * Runs an example in its own process under tsx (no build needed: the spec tsconfig maps @puzzle/* to sources), on
 * `engine` when given (PUZZLE_BACKEND), else on the default engine.
 */
function runInTsx(file: string, timeoutMs: number, engine?: EngineName): { status: number | null; lines: string[]; stderr: string } {
  const run = spawnSync(tsx, ['--tsconfig', 'tsconfig.spec.json', file], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, [QUICK]: '1', ...(engine ? { PUZZLE_BACKEND: engine } : {}) },
  });
  return { status: run.status, lines: run.stdout.trim().split('\n'), stderr: run.stderr };
}

/** Runs a short example module in this process on the active engine, returning what it printed. */
async function runInProcess(file: string, engine: EngineName): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    // One module instance per engine: the query makes the second import evaluate the file again.
    await import(`${pathToFileURL(file).href}?engine=${engine}`);
  } finally {
    log.mockRestore();
  }
  return lines;
}

const pageExamples = [join(docs, 'examples', 'optimizers'), join(docs, 'examples', 'costs')].flatMap((d) => filesUnder(d, '.ts'));
// docs/examples/shared holds code the examples import (a net, a preprocessing step), not examples of its own.
const shared = join(docs, 'examples', 'shared');
const others = filesUnder(join(docs, 'examples'), '.ts').filter((f) => f !== seedExample && !pageExamples.includes(f) && !f.startsWith(shared));

// Every example runs on every engine: the short examples of the optimizer and cost pages in this process, the seed
// example and the others in their own process. The cuda engine is the GPU where one answers, else the simulator.
for (const engine of ['tfjs', 'cuda'] as const) {
  const skip = engine === 'cuda' && !cuda.ok ? ` (skipped: ${cuda.reason})` : '';
  describe.skipIf(skip !== '')(`docs examples [${engine}]${skip}`, () => {
    beforeAll(() => setBackend(engine));

    for (const file of pageExamples) {
      it(`${relative(root, file)} runs and, where it trains, its error falls`, async () => {
        const lines = await runInProcess(file, engine);
        expect(getBackend().name).toBe(engine);
        expect(lines.length, 'the example prints its results').toBeGreaterThan(0);
        const errors = errorsIn(lines);
        expect(errors.every(Number.isFinite), `finite errors: ${errors.join(', ')}`).toBe(true);
        if (errors.length >= 2) expect(errors.at(-1)!).toBeLessThan(errors[0]!);
      });
    }

    for (const file of others) {
      const quick = readFileSync(file, 'utf8').includes(QUICK);
      // An example without a quick mode would take minutes: it is listed as skipped until it honours QUICK.
      it.skipIf(!quick)(`${relative(root, file)} runs in its quick mode${quick ? '' : ` (skipped: it does not read ${QUICK})`}`, () => {
        const run = runInTsx(file, 60_000, engine);
        expect(run.status, run.stderr).toBe(0);
      });
    }

    it('docs/examples/adam.ts runs under tsx: engine first, 20 reports, the error falls by orders of magnitude', () => {
      const run = runInTsx(seedExample, 60_000, engine);
      expect(run.status, run.stderr).toBe(0);
      const lines = run.lines;
      expect(lines[0]).toMatch(new RegExp(`^Engine: ${engine} \\(.+\\)$`));
      expect(lines.slice(1).map((l) => /^Iteration #(\d+) error: /.exec(l)?.[1])).toEqual(Array.from({ length: 20 }, (_, i) => String(5 * (i + 1))));
      const errors = errorsIn(lines);
      expect(errors.at(-1)!).toBeLessThan(errors[0]! / 100);
    });
  });
}

describe('docs examples', () => {
  it('docs/examples/adam.ts on the default engine: the GPU where one answers, never the simulator', () => {
    const run = runInTsx(seedExample, 60_000);
    expect(run.status, run.stderr).toBe(0);
    expect(run.lines[0]).toMatch(cuda.ok && !cuda.simulator ? /^Engine: cuda \(/ : /^Engine: tfjs \(/);
  });

  it('every optimizer and cost page embeds its example file verbatim', () => {
    const pages = [...filesUnder(join(docs, 'optimizers'), '.md'), ...filesUnder(join(docs, 'costs'), '.md')].filter((p) => !p.endsWith('README.md'));
    expect(pages.length).toBe(19);
    const embedded = new Set<string>();
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      const m = /<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/.exec(text);
      expect(m, `${relative(root, page)} has an example block`).not.toBeNull();
      const file = join(root, m![1]!);
      expect(m![2], `${relative(root, page)} shows ${m![1]} as it is`).toBe(readFileSync(file, 'utf8'));
      embedded.add(file);
    }
    const owned = [...filesUnder(join(docs, 'examples', 'optimizers'), '.ts'), ...filesUnder(join(docs, 'examples', 'costs'), '.ts'), seedExample];
    expect(owned.filter((f) => !embedded.has(f)), 'examples no page shows').toEqual([]);
  });
});
