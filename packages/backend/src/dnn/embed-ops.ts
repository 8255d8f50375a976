import { contiguousRefs, requireFloat } from '../checks.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { sameShape } from '../shape.js';
import { dnnOp } from './require-dnn.js';

function checkIndices(op: string, indices: GPUArray, W: GPUArray): void {
  if (indices.dtype !== 'int32' || indices.ndim !== 2) throw new BackendError(op, `needs int32 (N, L) indices, got ${fmtShape(indices.shape)} ${indices.dtype}`);
  if (W.ndim !== 2) throw new BackendError(op, `needs a 2-D (vocabulary, embsize) table, got ${fmtShape(W.shape)}`);
  requireFloat(op, W);
}

/** Looks up rows of W (V, E) for int32 indices (N, L) → (N, L, E); index −1 gives a zero row. */
export function embed(indices: GPUArray, W: GPUArray): GPUArray {
  const op = 'Dnn.embed';
  checkIndices(op, indices, W);
  const run = dnnOp(op, 'embed');
  const [i, w] = contiguousRefs(op, indices, W);
  const out = empty([...indices.shape, W.shape[1]!], W.dtype);
  run(i!, w!, out.ref(op));
  return out;
}

/**
 * Scatter-adds the (N, L, E) grad rows into wgrad (V, E) at the indices (−1 skipped, repeats accumulate):
 * wgrad = scale·scatter + momentum·wgrad. The default momentum 1 adds, as PuzzleLib's kernel does.
 */
export function embedBackwardParams(indices: GPUArray, grad: GPUArray, wgrad: GPUArray, opts: { scale?: number; momentum?: number } = {}): GPUArray {
  const op = 'Dnn.embedBackwardParams';
  checkIndices(op, indices, wgrad);
  const expected = [...indices.shape, wgrad.shape[1]!];
  if (!sameShape(grad.shape, expected)) throw new BackendError(op, `grad ${fmtShape(grad.shape)} does not match ${fmtShape(expected)}`);
  requireFloat(op, wgrad, grad);
  const run = dnnOp(op, 'embedBackwardParams');
  const [i, g, w] = contiguousRefs(op, indices, grad, wgrad);
  run(i!, g!, w!, opts.scale ?? 1, opts.momentum ?? 1);
  return wgrad;
}
