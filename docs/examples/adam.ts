// The example of PuzzleLib's Adam page (docs/optimizers/adam.md), in TypeScript.
import { getBackend, gpuarray, HostArray } from '@puzzle/backend';
import { Graph } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear, relu } from '@puzzle/modules';
import { Adam } from '@puzzle/optimizers';

const { name, device } = getBackend();
console.log(`Engine: ${name} (${device})`);

// A synthetic training set: 16 samples of 128 features and one target each.
const data = gpuarray.toGpu(HostArray.randn([16, 128]));
const target = gpuarray.toGpu(HostArray.randn([16, 1]));

// Some net, here built as a Graph: Linear(128, 64) → relu → Linear(64, 1).
const v1 = new Linear(128, 64).node();
const h = new Activation(relu).node(v1);
const v2 = new Linear(64, 1).node(h);
const net = new Graph({ inputs: v1, outputs: v2 });
const loss = new MSE();

const optimizer = new Adam();
optimizer.setupOn(net, { useGlobalState: true });

for (let i = 0; i < 100; i++) {
  const predictions = net.call(data);
  const [error, grad] = loss.call(predictions, target);

  optimizer.zeroGradParams();
  net.backward(grad);
  optimizer.update();

  if ((i + 1) % 5 === 0) console.log(`Iteration #${i + 1} error: ${error}`);
}
