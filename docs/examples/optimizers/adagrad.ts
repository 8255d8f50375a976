// The example of docs/optimizers/adagrad.md: PuzzleLib's trainSimpleTest net fitting 16 random targets.
import { getBackend, gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear, relu } from '@puzzle/modules';
import { AdaGrad } from '@puzzle/optimizers';

console.log(`Engine: ${getBackend().name}`);

const data = gpuarray.toGpu(HostArray.randn([16, 128]));
const target = gpuarray.toGpu(HostArray.randn([16, 16]));
const net = new Sequential()
  .append(new Linear(128, 64, { useBias: false }))
  .append(new Activation(relu))
  .append(new Linear(64, 32, { useBias: false }))
  .append(new Activation(relu))
  .append(new Linear(32, 16));
const loss = new MSE();

const optimizer = new AdaGrad({ learnRate: 0.01 });
optimizer.setupOn(net, { useGlobalState: true });

for (let i = 0; i < 100; i++) {
  const [error, grad] = loss.call(net.call(data), target);

  optimizer.zeroGradParams();
  net.backward(grad);
  optimizer.update();

  if ((i + 1) % 10 === 0) console.log(`Iteration #${i + 1} error: ${error}`);
}
