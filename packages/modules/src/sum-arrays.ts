import { Blas, type GPUArray } from '@puzzle/backend';

/** A fresh contiguous array holding the sum of equally shaped arrays: the first is copied, the others added. */
export function sumArrays(arrays: readonly GPUArray[]): GPUArray {
  const out = arrays[0]!.copy();
  for (const a of arrays.slice(1)) {
    // The add kernel reads contiguous storage only.
    const x = a.contiguous ? a : a.copy();
    Blas.toVectorAddVector(out, x);
    if (x !== a) x.dispose();
  }
  return out;
}
