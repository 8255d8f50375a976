import { backendStatus, setBackend, type EngineName } from '@puzzle/backend';
import { beforeAll, describe } from 'vitest';

const ALL: EngineName[] = ['tfjs', 'cuda'];

type Status = ReturnType<typeof backendStatus>['cuda'];

/** Engines to test: every engine, or those listed in PUZZLE_TEST_ENGINES (e.g. "cuda" on the GPU machine). */
function selectedEngines(): EngineName[] {
  const only = process.env['PUZZLE_TEST_ENGINES'];
  return only ? ALL.filter((e) => only.split(',').includes(e)) : ALL;
}

/**
 * The cuda engine the tests run: the GPU when one answers, else the CUDA simulator (our kernels and entries on the
 * CPU, packages/backend/native/sim), which this selects for the rest of the process with PUZZLE_CUDA_SIM=1. An
 * explicit PUZZLE_CUDA_SIM (1: always the simulator, 0: never) is left as it is.
 */
export function cudaUnderTest(): Status {
  const status = backendStatus().cuda;
  if (status.ok || process.env['PUZZLE_CUDA_SIM'] !== undefined) return status;
  process.env['PUZZLE_CUDA_SIM'] = '1';
  const simulated = backendStatus().cuda;
  if (simulated.ok) return simulated;
  delete process.env['PUZZLE_CUDA_SIM'];
  return { ok: false, reason: `${status.reason}; the CUDA simulator: ${simulated.reason}` };
}

/**
 * Runs `body` once per engine, each inside its own describe block that switches to that engine first. The cuda
 * engine is the GPU where one answers and the CUDA simulator elsewhere (cudaUnderTest). An engine that cannot run
 * here shows up as a skipped block with the reason.
 */
export function describeEngines(title: string, body: (engine: EngineName) => void): void {
  const status = { ...backendStatus(), cuda: cudaUnderTest() };
  for (const engine of selectedEngines()) {
    const probe = status[engine];
    if (!probe.ok) {
      describe.skip(`${title} [${engine}] (skipped: ${probe.reason})`, () => body(engine));
      continue;
    }
    describe(`${title} [${engine}]`, () => {
      beforeAll(() => setBackend(engine));
      body(engine);
    });
  }
}
