// The example of docs/costs/smooth-l1.md: the error and gradient of SmoothL1, and gradient steps on the prediction.
import { Blas, gpuarray, HostArray } from '@puzzle/backend';
import { SmoothL1 } from '@puzzle/cost';

const pred = gpuarray.toGpu(HostArray.randn([10, 10]));
const target = gpuarray.toGpu(HostArray.randn([10, 10]));
const smoothL1 = new SmoothL1();

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = smoothL1.call(pred, target);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(pred, grad, 20);
}
console.log(`Validation error: ${smoothL1.validate(pred, target)}`);
