// The example of docs/costs/cross-entropy.md: softmax cross-entropy over 10 classes at 3 positions per sample.
import { Blas, gpuarray, type GPUArray, HostArray } from '@puzzle/backend';
import { CrossEntropy } from '@puzzle/cost';

/** Deterministic int32 labels in [low, high). */
function randomLabels(shape: number[], low: number, high: number): GPUArray {
  const u = HostArray.rand(shape);
  return gpuarray.toGpu(HostArray.from(Array.from(u.data, (x) => low + Math.floor(x * (high - low))), { shape, dtype: 'int32' }));
}

const scores = gpuarray.toGpu(HostArray.randn([20, 10, 3]));
const labels = randomLabels([20, 3], 0, 10);
const entropy = new CrossEntropy();
console.log(`Error rate: ${entropy.validate(scores, labels)}`);

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = entropy.call(scores, labels);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(scores, grad, 100);
}
console.log(`Error rate: ${entropy.validate(scores, labels)}`);
