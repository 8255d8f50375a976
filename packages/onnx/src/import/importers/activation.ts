import { Activation, Gelu, PRelu, SoftMax, type ActivationName, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import { load, type Importer } from './importer.js';

const plain = (activation: ActivationName): Importer => (n) => new Activation(activation, { name: n.name });

/** LeakyRelu and Elu: their alpha is the activation's argument (ONNX defaults 0.01 and 1). */
const withAlpha =
  (activation: ActivationName, fallback: number): Importer =>
  (n) =>
    new Activation(activation, { args: [n.attrs.float('alpha', fallback)], name: n.name });

/** Clip's bounds are constant inputs; an absent one does not bound. */
function clip(n: NodeImport): Module {
  return new Activation('clip', { args: [n.scalar(1, -Infinity), n.scalar(2, Infinity)], name: n.name });
}

function gelu(n: NodeImport): Module {
  n.requireDefault('approximate', 'none');
  return new Gelu({ name: n.name });
}

/** Puzzle's SoftMax normalises axis 1 (of any rank): ONNX's axis 1, or −1 of (N, C) data. */
function softmax(n: NodeImport): Module {
  const rank = n.shape(n.x).length;
  const axis = n.attrs.int('axis', -1);
  if ((axis < 0 ? axis + rank : axis) !== 1) n.fail(`only axis 1 is supported, got ${axis} on rank ${rank}`);
  return new SoftMax({ name: n.name });
}

/** A slope of one value is shared by all maps; else one per map, shaped (C) or (C, 1, ...) to broadcast over axis 1. */
function prelu(n: NodeImport): Module {
  const shape = n.shape(n.x);
  const slope = n.constant(1)!;
  const maps = shape[1]!;
  const shared = slope.data.length === 1;
  const perMap = slope.dims.join(',') === [maps, ...new Array<number>(shape.length - 2).fill(1)].join(',');
  if (!shared && !perMap) {
    n.fail(`slope dims [${slope.dims.join(', ')}] are neither one value nor one per map of data [${shape.join(', ')}]`);
  }
  const mod = new PRelu(maps, { sharedMaps: shared, name: n.name });
  load(mod, 'slopes', n.param(1, [shared ? 1 : maps]));
  return mod;
}

export const ACTIVATION: Record<string, Importer> = {
  Relu: plain('relu'),
  Sigmoid: plain('sigmoid'),
  Tanh: plain('tanh'),
  Softplus: plain('softPlus'),
  LeakyRelu: withAlpha('leakyRelu', 0.01),
  Elu: withAlpha('elu', 1.0),
  Clip: clip,
  Gelu: gelu,
  Softmax: softmax,
  PRelu: prelu,
};
