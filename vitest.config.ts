import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SkipReasons } from './tools/test/skip-reasons.js';

const packages = ['backend', 'modules', 'containers', 'cost', 'optimizers', 'handlers', 'datasets', 'visual', 'onnx', 'testing'];
const source = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test run needs no build first.
    alias: Object.fromEntries(packages.map((p) => [`@puzzle/${p}`, source(p)])),
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'docs/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    env: { PUZZLE_QUIET: '1' },
    // A temp folder of the run's own, removed at its end (leftovers are named).
    globalSetup: ['./tools/test/temp-sandbox.ts'],
    // The JSON report feeds the summary line of .ci/run; SkipReasons says once why tests were skipped.
    reporters: ['default', ['json', { outputFile: 'node_modules/.vitest-report.json' }], new SkipReasons()],
  },
});
