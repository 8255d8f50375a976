import { backendStatus, setBackend, type EngineName } from '@puzzle/backend';
import { beforeAll, describe } from 'vitest';

const ALL: EngineName[] = ['tfjs', 'cuda'];

/** Engines to test: every engine, or those listed in PUZZLE_TEST_ENGINES (e.g. "cuda" on the GPU machine). */
function selectedEngines(): EngineName[] {
  const only = process.env['PUZZLE_TEST_ENGINES'];
  return only ? ALL.filter((e) => only.split(',').includes(e)) : ALL;
}

/**
 * Runs `body` once per engine, each inside its own describe block that switches to that engine first.
 * An engine that cannot run here shows up as a skipped block with the reason.
 */
export function describeEngines(title: string, body: (engine: EngineName) => void): void {
  const status = backendStatus();
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
