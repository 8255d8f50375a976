// The example of docs/costs/multi.md: MSE and Abs applied together to two predictions.
import { gpuarray, type GPUArray, HostArray } from '@puzzle/backend';
import { Abs, MSE, Multi } from '@puzzle/cost';

const preds = [gpuarray.toGpu(HostArray.randn([10, 10])), gpuarray.toGpu(HostArray.randn([10, 5]))];
const targets = [gpuarray.toGpu(HostArray.randn([10, 10])), gpuarray.toGpu(HostArray.randn([10, 5]))];
const multi = new Multi().append(new MSE()).append(new Abs());

const [errors, grads] = multi.call(preds, targets);
console.log(`Errors: ${errors.join(', ')}`);
console.log(`Grad shapes: ${grads.map((g) => (g as GPUArray).shape.join('×')).join(', ')}`);
console.log(`Validation errors: ${multi.validate(preds, targets).join(', ')}`);
