/**
 * The least work each benchmark must do, for floors and bandwidths: matrix-product flops of an MLP step and bytes
 * an Adam update must move. Elementwise work (ReLU, bias, cost) is left out: the floor of issue 7's case (b) is
 * the cuBLAS-bound one.
 */

const FLOAT32_BYTES = 4;

export function gemmFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}

/**
 * Flops of the matrix products in one training step of an MLP with layer sizes `sizes` (input first): forward,
 * weight gradients, and input gradients of every layer but the first unless `inputGrad` (the data needs none).
 */
export function mlpStepFlops(batch: number, sizes: readonly number[], opts: { inputGrad: boolean }): number {
  if (sizes.length < 2) throw new RangeError('an MLP needs at least an input and an output size');
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const layer = gemmFlops(batch, sizes[l + 1]!, sizes[l]!);
    const products = l === 0 && !opts.inputGrad ? 2 : 3;
    flops += products * layer;
  }
  return flops;
}

/** fp32 Adam reads param, grad and both moments and writes param and both moments: 7 accesses per parameter. */
export function adamUpdateBytes(params: number): number {
  return 7 * FLOAT32_BYTES * params;
}

/** A device-to-device copy counted as bytes read plus bytes written, as the device's copy bandwidth is quoted. */
export function copyBytes(elements: number): number {
  return 2 * FLOAT32_BYTES * elements;
}

/** Throughput in units per second from a per-run amount and a time in milliseconds. */
export function perSecond(amount: number, ms: number): number {
  return amount / (ms / 1e3);
}
