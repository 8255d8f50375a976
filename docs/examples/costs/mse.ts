// The example of docs/costs/mse.md: the error and gradient of MSE, and gradient steps on the prediction.
import { Blas, gpuarray, HostArray } from '@puzzle/backend';
import { MSE } from '@puzzle/cost';

const pred = gpuarray.toGpu(HostArray.randn([10, 10]));
const target = gpuarray.toGpu(HostArray.randn([10, 10]));
const mse = new MSE();

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = mse.call(pred, target);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(pred, grad, 50);
}
console.log(`Validation error: ${mse.validate(pred, target)}`);
