import { gpuarray, type GPUArray, HostArray, Rng } from '@puzzle/backend';
import { expectClose, numericGrad, randomData, sampleIndices, TOLERANCES } from '@puzzle/testing';

/** Seeded float32 data on the device with its float64 copy. */
export function floatData(shape: number[], seed: number, scale = 1): { dev: GPUArray; host: HostArray; f64: Float64Array } {
  const d = randomData(shape, seed, scale);
  return { dev: gpuarray.toGpu(d.host), host: d.host, f64: d.f64 };
}

/** Seeded int32 labels uniform in [low, high). */
export function labelData(shape: number[], low: number, high: number, seed: number): { dev: GPUArray; host: Int32Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const host = Int32Array.from({ length: n }, () => low + Math.floor(rng.uniform() * (high - low)));
  return { dev: gpuarray.toGpu(new HostArray(host, shape, 'int32')), host };
}

export interface NegGradCheck {
  /** The cost's error for a prediction built from these host values. */
  errorAt: (pred: GPUArray) => number;
  pred: HostArray;
  /** The grad the cost returned for `pred`. */
  grad: ArrayLike<number>;
  /** Coordinates to check (default: a spread-out sample); exclude those within eps of a kink. */
  indices?: number[];
  eps?: number;
}

/**
 * Checks that the cost's grad is minus the derivative of its error (PuzzleLib's descent direction), by central
 * differences of the fp32 error. Both sides are scaled by the element count so the tolerance is relative to O(1).
 */
export function expectNegDerivative(check: NegGradCheck): void {
  const { pred, eps = 1e-2 } = check;
  const values = pred.toFloat32();
  const evaluate = () => {
    const dev = gpuarray.toGpu(new HostArray(values, pred.shape, 'float32'));
    const error = check.errorAt(dev);
    dev.dispose();
    return error;
  };
  const indices = check.indices ?? sampleIndices(values.length, 24);
  const numeric = numericGrad(evaluate, values, eps, indices);
  const scale = values.length;
  const expected = indices.map((i) => -numeric[i]! * scale);
  expectClose(indices.map((i) => check.grad[i]! * scale), expected, TOLERANCES.fd, 'grad vs −d(error)/d(pred)');
}

/** Indices whose value keeps at least `margin` away from every kink. */
export function awayFromKinks(values: ArrayLike<number>, kinks: (i: number) => number[], margin: number): number[] {
  return [...Array(values.length).keys()].filter((i) => kinks(i).every((k) => Math.abs(values[i]! - k) > margin));
}

export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}
