// The example of docs/costs/hinge.md: the hinge loss with ±1 labels, and gradient steps on the scores.
import { Blas, gpuarray, HostArray } from '@puzzle/backend';
import { Hinge } from '@puzzle/cost';

const scores = gpuarray.toGpu(HostArray.randn([20, 4]));
const signs = Array.from(HostArray.rand([20, 4]).data, (u) => (u < 0.5 ? -1 : 1));
const labels = gpuarray.toGpu(HostArray.from(signs, { shape: [20, 4], dtype: 'int32' }));
const hinge = new Hinge();

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = hinge.call(scores, labels);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(scores, grad, 20);
}
console.log(`Validation error: ${hinge.validate(scores, labels)}`);
