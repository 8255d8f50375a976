/** Summary statistics of repeated timings; the median is the number every table reports. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** 10th and 90th percentiles: the spread a reader needs to judge whether two medians differ. */
  readonly p10: number;
  readonly p90: number;
  readonly count: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('statistics of an empty sample');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('statistics of a sample with a non-finite value');
  return [...values].sort((a, b) => a - b);
}

/** Linear interpolation between closest ranks (numpy's default), q in [0, 1]. */
function percentileOfSorted(ascending: readonly number[], q: number): number {
  const rank = q * (ascending.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return ascending[lo]! + (ascending[hi]! - ascending[lo]!) * (rank - lo);
}

export function percentile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile ${q} outside [0, 1]`);
  return percentileOfSorted(sorted(values), q);
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export function summarize(values: readonly number[]): Summary {
  const ascending = sorted(values);
  return {
    median: percentileOfSorted(ascending, 0.5),
    min: ascending[0]!,
    max: ascending[ascending.length - 1]!,
    p10: percentileOfSorted(ascending, 0.1),
    p90: percentileOfSorted(ascending, 0.9),
    count: ascending.length,
  };
}
