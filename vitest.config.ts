import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SkipReasons } from './tools/test/skip-reasons.js';

const packages = ['backend', 'modules', 'containers', 'cost', 'optimizers', 'handlers', 'datasets', 'visual', 'onnx', 'testing'];
const source = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/**
 * The tfjs engine runs the whole suite on tfjs' wasm backend (its default without tfjs-node-gpu); these files run
 * again on the pure-JS cpu backend, which stays selectable: engine selection, every kernel family of the engine
 * (products and reductions, elementwise, convolutions, pooling, costs, optimizer steps) and one module's gradients.
 */
const cpuSmokeSet = [
  'packages/backend/src/engines/tfjs/tfjs-engine.test.ts',
  'packages/backend/src/engines/cuda/blas-ops.test.ts',
  'packages/backend/src/kernels.test.ts',
  'packages/backend/src/dnn/conv.test.ts',
  'packages/backend/src/dnn/pool.test.ts',
  'packages/backend/src/cost-kernels.test.ts',
  'packages/optimizers/src/optimizer-kernels.test.ts',
  'packages/modules/src/linear.test.ts',
];

/** And these on the wasm backend's two-thread build (PUZZLE_TFJS_THREADS, opt-in): selection, products, convolutions. */
const wasmThreadsSmokeSet = cpuSmokeSet.slice(0, 2).concat('packages/backend/src/dnn/conv.test.ts');

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test run needs no build first.
    alias: Object.fromEntries(packages.map((p) => [`@puzzle/${p}`, source(p)])),
  },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    env: { PUZZLE_QUIET: '1' },
    // A temp folder of the run's own, removed at its end (leftovers are named).
    globalSetup: ['./tools/test/temp-sandbox.ts'],
    // The JSON report feeds the summary line of .ci/run; SkipReasons says once why tests were skipped.
    reporters: ['default', ['json', { outputFile: 'node_modules/.vitest-report.json' }], new SkipReasons()],
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['packages/*/src/**/*.test.ts', 'docs/**/*.test.ts', 'tools/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'tfjs-cpu', include: cpuSmokeSet, env: { PUZZLE_TFJS_BACKEND: 'cpu', PUZZLE_TEST_ENGINES: 'tfjs' } },
      },
      {
        extends: true,
        test: { name: 'tfjs-wasm-threads', include: wasmThreadsSmokeSet, env: { PUZZLE_TFJS_THREADS: '2', PUZZLE_TEST_ENGINES: 'tfjs' } },
      },
    ],
  },
});
