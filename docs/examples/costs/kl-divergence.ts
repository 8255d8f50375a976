// The example of docs/costs/kl-divergence.md: KL divergence between two softmax distributions.
import { Blas, gpuarray, HostArray } from '@puzzle/backend';
import { KLDivergence } from '@puzzle/cost';

const pred = gpuarray.toGpu(HostArray.randn([10, 10]));
const target = gpuarray.toGpu(HostArray.randn([10, 10]));
const kl = new KLDivergence({ normTarget: true });

// grad is the descent direction (minus d error / d pred), so adding it lowers the error.
for (let i = 0; i < 50; i++) {
  const [error, grad] = kl.call(pred, target);
  if (i % 10 === 0) console.log(`Step #${i} error: ${error}`);
  Blas.toVectorAddVector(pred, grad, 20);
}
console.log(`Validation error: ${kl.validate(pred, target)}`);
