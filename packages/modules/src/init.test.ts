import { seedGlobalRng } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { createTensorWithScheme, fans } from './init.js';

function moments(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), min, max };
}

/** Sample spreads of 20,000 draws are within about 1% of the truth; 3% leaves room without hiding a wrong scheme. */
function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(0.03);
}

describe('weight initialisation', () => {
  it('computes fans like PuzzleLib: (a, b) and (out, in, k...)', () => {
    expect(fans([5])).toEqual([5, 5]);
    expect(fans([20, 30])).toEqual([20, 30]);
    expect(fans([8, 4, 3, 3])).toEqual([36, 72]);
    expect(fans([8, 4, 3, 3], true)).toEqual([72, 36]);
  });

  const shape = [200, 100];
  const cases = [
    { scheme: undefined, check: (m: ReturnType<typeof moments>) => expect(m.max).toBeLessThanOrEqual(Math.sqrt(3 / 200)) },
    { scheme: 'xavier_uniform' as const, check: (m: ReturnType<typeof moments>) => expectRelative(m.std, Math.sqrt(3 / 200) / Math.sqrt(3)) },
    { scheme: 'xavier' as const, check: (m: ReturnType<typeof moments>) => expectRelative(m.std, Math.sqrt(1 / 200)) },
    { scheme: 'xavier_normal' as const, check: (m: ReturnType<typeof moments>) => expectRelative(m.std, Math.sqrt(1 / 200)) },
    { scheme: 'he' as const, check: (m: ReturnType<typeof moments>) => expectRelative(m.std, Math.sqrt(2 / 200)) },
  ];
  for (const { scheme, check } of cases) {
    it(`${scheme ?? 'default (xavier_uniform on fan-in)'} has the scheme's spread`, () => {
      seedGlobalRng(1);
      const h = createTensorWithScheme(scheme, shape)!;
      expect(h.shape).toEqual(shape);
      const m = moments(h.data);
      expect(Math.abs(m.mean)).toBeLessThan(0.003);
      check(m);
    });
  }

  it('gaussian and uniform use wscale; factor types out and avg change the fan', () => {
    seedGlobalRng(2);
    const g = moments(createTensorWithScheme('gaussian', shape, { wscale: 0.3 })!.data);
    expectRelative(g.std, 0.3);
    const u = moments(createTensorWithScheme('uniform', shape, { wscale: 0.2 })!.data);
    expect(u.max).toBeLessThanOrEqual(0.2);
    expect(u.min).toBeGreaterThanOrEqual(-0.2);
    expectRelative(u.std, 0.2 / Math.sqrt(3));
    const out = moments(createTensorWithScheme(['he', 'out'], shape)!.data);
    expectRelative(out.std, Math.sqrt(2 / 100));
    const avg = moments(createTensorWithScheme(['he', 'avg'], shape)!.data);
    expectRelative(avg.std, Math.sqrt(2 / 150));
  });

  it('is reproducible under seedGlobalRng; none returns null; unknown schemes fail', () => {
    seedGlobalRng(3);
    const a = createTensorWithScheme('he', [4, 4])!.data;
    seedGlobalRng(3);
    const b = createTensorWithScheme('he', [4, 4])!.data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(createTensorWithScheme('none', [4, 4])).toBeNull();
    expect(() => createTensorWithScheme('bogus' as never, [4, 4])).toThrow(ModuleError);
  });
});
