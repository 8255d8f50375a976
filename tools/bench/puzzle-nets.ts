import { Activation, Conv2D, Flatten, Linear, MaxPool2D, relu } from '@puzzle/modules';
import { Sequential } from '@puzzle/containers';
import type { MlpModel } from './bench-plan.js';

/** Linear layers of `model.sizes` with ReLU between them (none after the last), as in trainSimpleTest. */
export function buildMlp(model: MlpModel): Sequential {
  const net = new Sequential('mlp');
  const layers = model.sizes.length - 1;
  for (let l = 0; l < layers; l++) {
    net.append(new Linear(model.sizes[l]!, model.sizes[l + 1]!, { useBias: model.bias[l]! }));
    if (l + 1 < layers) net.append(new Activation(relu));
  }
  return net;
}

/** LeNet's input: one 28x28 channel, 10 classes. */
export const LENET_INPUT = [1, 28, 28] as const;
export const LENET_CLASSES = 10;

/** PuzzleLib's Models/Nets/LeNet.py (loadLeNet): 28x28 → conv3 26 → pool 13 → conv4 10 → pool 5, 32·5·5 = 800. */
export function buildLeNet(): Sequential {
  return new Sequential('lenet-5-like')
    .append(new Conv2D(1, 16, 3))
    .append(new MaxPool2D())
    .append(new Activation(relu))
    .append(new Conv2D(16, 32, 4))
    .append(new MaxPool2D())
    .append(new Activation(relu))
    .append(new Flatten())
    .append(new Linear(32 * 5 * 5, 1024))
    .append(new Activation(relu))
    .append(new Linear(1024, LENET_CLASSES));
}
