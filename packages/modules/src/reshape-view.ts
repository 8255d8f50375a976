import type { GPUArray } from '@puzzle/backend';

/** A reshaped view of `x`; a strided view is first copied, since only contiguous storage can be reinterpreted. */
export function reshapeView(x: GPUArray, shape: readonly number[]): GPUArray {
  if (x.contiguous) return x.reshape(shape);
  const dense = x.copy();
  const view = dense.reshape(shape);
  dense.dispose();
  return view;
}
