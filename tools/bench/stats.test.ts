import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from './stats.js';

describe('stats', () => {
  it('takes the middle value of an odd sample and the mean of the two middle ones of an even sample', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates percentiles between closest ranks as numpy does', () => {
    expect(percentile([0, 10, 20, 30, 40], 0.1)).toBeCloseTo(4);
    expect(percentile([0, 10, 20, 30, 40], 1)).toBe(40);
  });

  it('summarizes without reordering its input', () => {
    const sample = [3, 1, 2];
    const summary = summarize(sample);
    expect([summary.median, summary.min, summary.max, summary.count]).toEqual([2, 1, 3, 3]);
    expect(summary.p10).toBeCloseTo(1.2);
    expect(summary.p90).toBeCloseTo(2.8);
    expect(sample).toEqual([3, 1, 2]);
  });

  it('refuses empty and non-finite samples', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentile([1], 2)).toThrow(RangeError);
  });
});
