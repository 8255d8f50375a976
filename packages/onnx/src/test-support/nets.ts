import { Graph, Parallel, Sequential } from '@puzzle/containers';
import { Activation, Add, AvgPool2D, BatchNorm, BatchNorm2D, Concat, Conv2D, Deconv2D, Dropout, Flatten, Linear, MaxPool2D, Replicate, SoftMax, Split, type Node } from '@puzzle/modules';

/** An MLP with batch norm, dropout and a softmax head: (N, 20) → 5 probabilities. */
export function mlp(): Sequential {
  return new Sequential()
    .append(new Linear(20, 32))
    .append(new BatchNorm(32))
    .append(new Activation('tanh'))
    .append(new Dropout(0.3))
    .append(new Linear(32, 16))
    .append(new Activation('leakyRelu', { args: [0.2] }))
    .append(new Linear(16, 5))
    .append(new SoftMax());
}

/** conv → batch norm (→ ReLU): the unit of a ResNet. */
function convBn(name: string, parent: Node, inmaps: number, outmaps: number, opts: { stride?: number; relu?: boolean; size?: number } = {}): Node {
  const size = opts.size ?? 3;
  const conv = new Conv2D(inmaps, outmaps, size, { stride: opts.stride ?? 1, pad: (size - 1) / 2, useBias: false, name: `${name}_conv` }).node(parent);
  const bn = new BatchNorm2D(outmaps, { name: `${name}_bn` }).node(conv);
  return opts.relu === false ? bn : new Activation('relu', { name: `${name}_relu` }).node(bn);
}

/** A residual block: two conv-bn units plus the input (a strided 1×1 projection where the shape changes), then ReLU. */
function residual(name: string, x: Node, inmaps: number, outmaps: number, stride: number): Node {
  const body = convBn(`${name}_b`, convBn(`${name}_a`, x, inmaps, outmaps, { stride }), outmaps, outmaps, { relu: false });
  const skip = stride === 1 && inmaps === outmaps ? x : convBn(`${name}_proj`, x, inmaps, outmaps, { stride, size: 1, relu: false });
  return new Activation('relu', { name: `${name}_out` }).node(new Add({ name: `${name}_add` }).node(body, skip));
}

/** A small ResNet: stem, an identity block, a downsampling block, average pooling and a classifier: (N, 3, 16, 16) → 10. */
export function resnet(): Graph {
  const stem = new Conv2D(3, 8, 3, { pad: 1, name: 'stem' }).node();
  const block1 = residual('block1', new Activation('relu', { name: 'stem_relu' }).node(new BatchNorm2D(8, { name: 'stem_bn' }).node(stem)), 8, 8, 1);
  const block2 = residual('block2', block1, 8, 16, 2);
  const pool = new AvgPool2D({ size: 8, stride: 8, name: 'pool' }).node(block2);
  const head = new Linear(16, 10, { name: 'fc' }).node(new Flatten({ name: 'flatten' }).node(pool));
  return new Graph({ inputs: stem, outputs: head });
}

/** A UNet: two encoder levels, a transposed-convolution upsampling joined to the skip by Concat: (N, 3, 16, 16) → 2 maps. */
export function unet(): Graph {
  const enc1 = new Conv2D(3, 8, 3, { pad: 1, name: 'enc1' }).node();
  const enc1Relu = new Activation('relu', { name: 'enc1_relu' }).node(enc1);
  const down = new MaxPool2D({ name: 'down' }).node(enc1Relu);
  const enc2 = new Activation('relu', { name: 'enc2_relu' }).node(new Conv2D(8, 16, 3, { pad: 1, name: 'enc2' }).node(down));
  const up = new Deconv2D(16, 8, 2, { stride: 2, name: 'up' }).node(enc2);
  const joined = new Concat(1, { name: 'skip' }).node(up, enc1Relu);
  const dec = new Activation('relu', { name: 'dec_relu' }).node(new Conv2D(16, 8, 3, { pad: 1, name: 'dec' }).node(joined));
  const head = new Conv2D(8, 2, 1, { name: 'head' }).node(dec);
  return new Graph({ inputs: enc1, outputs: head });
}

/** A Graph whose Split feeds two branches that a Concat joins, with a Replicate fanning out to a second output. */
export function branchy(): Graph {
  const split = new Split(1, [3, 5], { name: 'split' }).node();
  const left = new Linear(3, 4, { name: 'left' }).node([split, 0]);
  const right = new Activation('tanh', { name: 'right' }).node([split, 1]);
  const join = new Concat(1, { name: 'join' }).node(left, right);
  const copies = new Replicate(2, { name: 'copies' }).node(join);
  const head = new Linear(9, 2, { name: 'head' }).node([copies, 0]);
  const tail = new Activation('relu', { name: 'tail' }).node([copies, 1]);
  return new Graph({ inputs: split, outputs: [head, tail] });
}

/** Two inputs, two outputs: a Parallel of a nested Sequential and a Linear. */
export function parallel(): Parallel {
  return new Parallel().append(new Sequential().append(new Linear(6, 4)).append(new Activation('sigmoid'))).append(new Linear(3, 2));
}
