import { describe, expect, it } from 'vitest';
import { repeatsWithinBudget, timeInterleaved, timeSteps, type Clock } from './step-timer.js';

/** A clock that advances by one ms on every reading: samples then depend only on the plan, never on real time. */
function tickingClock(): Clock {
  let now = 0;
  return () => now++;
}

describe('timeSteps', () => {
  it('runs warm-up then repeats with a running step index, synchronising around each repeat', () => {
    const events: string[] = [];
    const samples = timeSteps(
      (i) => events.push(`step${i}`),
      { warmupSteps: 2, repeats: 2, stepsPerRepeat: 3 },
      () => events.push('sync'),
      { clock: tickingClock() },
    );
    expect(events).toEqual([
      ...['sync', 'step0', 'step1', 'sync'],
      ...['sync', 'step2', 'step3', 'step4', 'sync'],
      ...['sync', 'step5', 'step6', 'step7', 'sync'],
    ]);
    expect(samples).toEqual([1 / 3, 1 / 3]);
  });

  it('runs fewer repeats, never under 3, when the warm-up says the plan would overrun its budget', () => {
    // The ticking clock makes the 10 warm-up steps take 1 ms in all: 0.1 ms per step, 1 ms per repeat of 10.
    const plan = { warmupSteps: 10, repeats: 20, stepsPerRepeat: 10 };
    expect(timeSteps(() => {}, plan, () => {}, { clock: tickingClock(), budgetMs: 5 })).toHaveLength(5);
    expect(timeSteps(() => {}, plan, () => {}, { clock: tickingClock(), budgetMs: 0.1 })).toHaveLength(3);
    expect(timeSteps(() => {}, plan, () => {}, { clock: tickingClock(), budgetMs: 1e6 })).toHaveLength(20);
    expect(repeatsWithinBudget(plan, 0, 1)).toBe(20);
  });

  it('refuses plans without a whole number of timed steps', () => {
    expect(() => timeSteps(() => {}, { warmupSteps: 0, repeats: 0, stepsPerRepeat: 1 }, () => {})).toThrow(RangeError);
    expect(() => timeSteps(() => {}, { warmupSteps: 0, repeats: 1, stepsPerRepeat: 1.5 }, () => {})).toThrow(RangeError);
  });
});

describe('timeInterleaved', () => {
  it('warms each runner up, then alternates the order of repeats, awaiting only promises', async () => {
    const events: string[] = [];
    const runner = (name: string, async: boolean) => ({
      step: (i: number) => {
        events.push(`${name}${i}`);
        return async ? Promise.resolve() : undefined;
      },
      sync: () => {},
    });
    const samples = await timeInterleaved([runner('p', false), runner('l', true)], { warmupSteps: 1, repeats: 3, stepsPerRepeat: 1 }, tickingClock());
    expect(events).toEqual(['p0', 'l0', 'p1', 'l1', 'l2', 'p2', 'p3', 'l3']);
    expect(samples).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('takes the samples of a runner that times its own repeats (another process) from that runner', async () => {
    const asked: number[] = [];
    const remote = { step: () => Promise.resolve(), sync: () => {}, repeat: (steps: number) => (asked.push(steps), Promise.resolve(7)) };
    const local = { step: () => {}, sync: () => {} };
    const samples = await timeInterleaved([local, remote], { warmupSteps: 1, repeats: 2, stepsPerRepeat: 4 }, tickingClock());
    expect(asked).toEqual([4, 4]);
    expect(samples).toEqual([
      [0.25, 0.25],
      [7, 7],
    ]);
  });
});
