import type { CaseSpec, MatmulFormat } from './bench-plan.js';
import { gpuPlan } from './plans.js';
import { runnerResult, type CaseResult, type Runner } from './results.js';

/** Hand-made results for the report and goal tests: numbers chosen for easy arithmetic, not measurements. */
export function caseSpec(id: CaseSpec['id']): CaseSpec {
  return gpuPlan().cases.find((c) => c.id === id)!;
}

export function fixtureCase(id: CaseSpec['id'], medians: Partial<Record<Runner, number>>, errors: number[] = [1, 0.5]): CaseResult {
  const results = (Object.entries(medians) as [Runner, number][]).map(([runner, ms]) => runnerResult(runner, [ms, ms, ms], errors));
  return { spec: caseSpec(id), results };
}

/** The same results, each runner recording the format its products ran in. */
export function withFormats(result: CaseResult, formats: Partial<Record<Runner, MatmulFormat>>): CaseResult {
  return { ...result, results: result.results.map((r) => ({ ...r, matmulFormat: formats[r.runner] })) };
}
