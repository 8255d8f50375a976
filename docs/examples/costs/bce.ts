// The example of docs/costs/bce.md: binary cross-entropy on a map of logits, and gradient steps on the logits.
import { Blas, gpuarray, type GPUArray, HostArray } from '@puzzle/backend';
import { BCE } from '@puzzle/cost';

/** Deterministic int32 labels in [low, high). */
function randomLabels(shape: number[], low: number, high: number): GPUArray {
  const u = HostArray.rand(shape);
  return gpuarray.toGpu(HostArray.from(Array.from(u.data, (x) => low + Math.floor(x * (high - low))), { shape, dtype: 'int32' }));
}

const scores = gpuarray.toGpu(HostArray.randn([8, 1, 4, 4]));
const labels = randomLabels([8, 4, 4], 0, 2);
const bce = new BCE();
console.log(`Scores on the wrong side of 0: ${bce.validate(scores, labels)}`);

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = bce.call(scores, labels);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(scores, grad, 500);
}
console.log(`Scores on the wrong side of 0: ${bce.validate(scores, labels)}`);
