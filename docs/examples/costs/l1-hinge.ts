// The example of docs/costs/l1-hinge.md: the L1 hinge loss on pairs of embeddings, moving both sides of each pair.
import { Blas, gpuarray, type GPUArray, HostArray } from '@puzzle/backend';
import { L1Hinge } from '@puzzle/cost';

/** Deterministic int32 labels in [low, high). */
function randomLabels(shape: number[], low: number, high: number): GPUArray {
  const u = HostArray.rand(shape);
  return gpuarray.toGpu(HostArray.from(Array.from(u.data, (x) => low + Math.floor(x * (high - low))), { shape, dtype: 'int32' }));
}

const x1 = gpuarray.toGpu(HostArray.randn([20, 4]));
const x2 = gpuarray.toGpu(HostArray.randn([20, 4]));
const similar = randomLabels([20], 0, 2);
const l1Hinge = new L1Hinge();
console.log(`Error rate: ${l1Hinge.validate([x1, x2], similar)}`);

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = l1Hinge.call([x1, x2], similar);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  const [g1, g2] = grad;
  Blas.toVectorAddVector(x1, g1, 10);
  Blas.toVectorAddVector(x2, g2, 10);
}
console.log(`Error rate: ${l1Hinge.validate([x1, x2], similar)}`);
