// The example of docs/costs/svm.md: a one-vs-all SVM over 4 classes, and gradient steps on the scores.
import { Blas, gpuarray, type GPUArray, HostArray } from '@puzzle/backend';
import { SVM } from '@puzzle/cost';

/** Deterministic int32 labels in [low, high). */
function randomLabels(shape: number[], low: number, high: number): GPUArray {
  const u = HostArray.rand(shape);
  return gpuarray.toGpu(HostArray.from(Array.from(u.data, (x) => low + Math.floor(x * (high - low))), { shape, dtype: 'int32' }));
}

const scores = gpuarray.toGpu(HostArray.randn([20, 4]));
const labels = randomLabels([20], 0, 4);
const svm = new SVM('l2');
console.log(`Error rate: ${svm.validate(scores, labels)}`);

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = svm.call(scores, labels);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(scores, grad, 10);
}
console.log(`Error rate: ${svm.validate(scores, labels)}`);
