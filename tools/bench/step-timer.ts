/**
 * Times a training step the way the GPU side must be timed: warm-up first (kernel loading, cuBLAS handles and pool
 * growth stay out of the numbers), then several repeats of a fixed number of steps, each bracketed by a device
 * synchronisation so that queued work is counted where it runs. One sample per repeat, in ms per step.
 */
export interface TimingPlan {
  readonly warmupSteps: number;
  readonly repeats: number;
  readonly stepsPerRepeat: number;
}

/** Milliseconds from an arbitrary origin; injectable so tests need no real clock. */
export type Clock = () => number;

export const monotonicClock: Clock = () => Number(process.hrtime.bigint()) / 1e6;

export function checkPlan(plan: TimingPlan): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(plan.warmupSteps, 0) || !whole(plan.repeats, 1) || !whole(plan.stepsPerRepeat, 1)) {
    throw new RangeError(`bad timing plan ${JSON.stringify(plan)}`);
  }
}

/**
 * Repeats that fit `budgetMs` at the warm-up's pace, at least 3 and at most the plan's: on a short GPU lease a
 * pathologically slow case must shrink, not eat the time of the cases after it.
 */
export function repeatsWithinBudget(plan: TimingPlan, warmupMsPerStep: number, budgetMs: number): number {
  const affordable = Math.floor(budgetMs / (warmupMsPerStep * plan.stepsPerRepeat));
  return Math.min(plan.repeats, Math.max(3, Number.isFinite(affordable) ? affordable : plan.repeats));
}

/**
 * `step` gets a running index across warm-up and repeats, so periodic work (reading the error) stays periodic.
 * With `budgetMs`, fewer repeats run when the warm-up shows the plan would take longer (see repeatsWithinBudget).
 */
export function timeSteps(
  step: (index: number) => void,
  plan: TimingPlan,
  sync: () => void,
  opts: { clock?: Clock; budgetMs?: number } = {},
): number[] {
  checkPlan(plan);
  const clock = opts.clock ?? monotonicClock;
  let index = 0;
  sync();
  const warmupStart = clock();
  for (; index < plan.warmupSteps; index++) step(index);
  sync();
  const warmupMsPerStep = (clock() - warmupStart) / Math.max(1, plan.warmupSteps);
  const repeats = opts.budgetMs == null || plan.warmupSteps === 0 ? plan.repeats : repeatsWithinBudget(plan, warmupMsPerStep, opts.budgetMs);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    sync();
    const start = clock();
    for (let s = 0; s < plan.stepsPerRepeat; s++) step(index++);
    sync();
    samples.push((clock() - start) / plan.stepsPerRepeat);
  }
  return samples;
}

/** One side of an interleaved comparison; a step may return a promise (tfjs-layers' trainOnBatch) or not. */
export interface TimedRunner {
  step(index: number): unknown;
  sync(): void;
  /**
   * A runner in another process (the PyTorch peer) times a whole repeat itself and answers its ms per step, so that
   * the pipe's latency between the processes stays out of its samples.
   */
  repeat?(steps: number): Promise<number>;
}

/**
 * Times several runners repeat by repeat in alternating order (ABBA...), so that load from other processes on a
 * shared machine falls on all of them alike instead of on whichever ran last. Warm-up runs first, each runner
 * in full. Returns one sample list per runner, in ms per step. Sync steps are not awaited: no microtask cost.
 */
export async function timeInterleaved(runners: readonly TimedRunner[], plan: TimingPlan, clock: Clock = monotonicClock): Promise<number[][]> {
  checkPlan(plan);
  const next = runners.map(() => 0);
  const run = async (r: number) => {
    const pending = runners[r]!.step(next[r]!++);
    if (pending instanceof Promise) await pending;
  };
  for (let r = 0; r < runners.length; r++) for (let w = 0; w < plan.warmupSteps; w++) await run(r);
  const samples: number[][] = runners.map(() => []);
  for (let repeat = 0; repeat < plan.repeats; repeat++) {
    const order = runners.map((_, r) => r);
    if (repeat % 2 === 1) order.reverse();
    for (const r of order) {
      const runner = runners[r]!;
      if (runner.repeat) {
        samples[r]!.push(await runner.repeat(plan.stepsPerRepeat));
        continue;
      }
      runners[r]!.sync();
      const start = clock();
      for (let s = 0; s < plan.stepsPerRepeat; s++) await run(r);
      runners[r]!.sync();
      samples[r]!.push((clock() - start) / plan.stepsPerRepeat);
    }
  }
  return samples;
}
