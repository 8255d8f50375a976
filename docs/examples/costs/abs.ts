// The example of docs/costs/abs.md: the error and gradient of Abs, and gradient steps on the prediction.
import { Blas, gpuarray, HostArray } from '@puzzle/backend';
import { Abs } from '@puzzle/cost';

const pred = gpuarray.toGpu(HostArray.randn([10, 10]));
const target = gpuarray.toGpu(HostArray.randn([10, 10]));
const abs = new Abs();

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = abs.call(pred, target);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(pred, grad, 2);
}
console.log(`Validation error: ${abs.validate(pred, target)}`);
