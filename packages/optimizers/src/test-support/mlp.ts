import { gpuarray, HostArray, Rng } from '@puzzle/backend';
import { Activation, Linear, type Module } from '@puzzle/modules';
import { Chain } from './chain.js';

export interface LayerSpec {
  insize: number;
  outsize: number;
  useBias: boolean;
  /** Activation after the layer. */
  act: 'tanh' | 'relu' | null;
}

/** Float64 weights of an MLP: W (insize, outsize) and b per layer, by var-table name. */
export type Weights = Record<string, Float64Array>;

/** Seeded weights (and non-zero biases) of PuzzleLib's default init scale. */
export function randomWeights(layers: LayerSpec[], seed: number): Weights {
  const rng = new Rng(seed);
  const weights: Weights = {};
  layers.forEach((l, i) => {
    const bound = Math.sqrt(3 / l.insize);
    weights[`${2 * i}.W`] = Float64Array.from({ length: l.insize * l.outsize }, () => Math.fround(bound * (2 * rng.uniform() - 1)));
    if (l.useBias) weights[`${2 * i}.b`] = Float64Array.from({ length: l.outsize }, () => Math.fround(0.1 * rng.normal()));
  });
  return weights;
}

/**
 * The MLP as a Chain of Linear and Activation modules ("0" Linear, "1" Activation, "2" Linear, ...); only the
 * last layer may go without an activation.
 */
export function buildMlp(layers: LayerSpec[], weights: Weights): Chain {
  const modules: Module[] = [];
  layers.forEach((l, i) => {
    const lin = new Linear(l.insize, l.outsize, { useBias: l.useBias });
    lin.W.set(HostArray.from(weights[`${2 * i}.W`]!, { shape: [l.insize, l.outsize] }));
    if (l.useBias) lin.b!.set(HostArray.from(weights[`${2 * i}.b`]!));
    modules.push(lin, new Activation(l.act ?? 'relu'));
  });
  if (layers.at(-1)!.act === null) modules.pop();
  return new Chain(modules);
}

/** Reads every variable of a module as float64, by its first var-table name. */
export function readWeights(module: Module): Weights {
  const out: Weights = {};
  for (const [v, names] of module.getVarTable()) out[names[0]!] = Float64Array.from(v.data.get().toFloat32());
  return out;
}

/**
 * Neg-grads of MSE(mlp(x), target) for every weight, in float64: forward, the MSE grad (target − y)/S, backward.
 * Also returns the error Σ(target − y)²/(2S).
 */
export function mlpNegGrads(layers: LayerSpec[], w: Weights, x: Float64Array, target: Float64Array, batch: number): { error: number; grads: Weights } {
  const acts = [x];
  layers.forEach((l, i) => {
    const input = acts.at(-1)!;
    const out = new Float64Array(batch * l.outsize);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < l.outsize; j++) {
        let s = l.useBias ? w[`${2 * i}.b`]![j]! : 0;
        for (let k = 0; k < l.insize; k++) s += input[r * l.insize + k]! * w[`${2 * i}.W`]![k * l.outsize + j]!;
        out[r * l.outsize + j] = l.act === 'tanh' ? Math.tanh(s) : l.act === 'relu' ? Math.max(s, 0) : s;
      }
    }
    acts.push(out);
  });
  const y = acts.at(-1)!;
  let g: Float64Array = y.map((v, i) => (target[i]! - v) / y.length);
  const error = g.reduce((s, v) => s + v * v, 0) * (y.length / 2);
  const grads: Weights = {};
  for (let i = layers.length - 1; i >= 0; i--) g = backLayer(layers[i]!, i, w, acts[i]!, acts[i + 1]!, g, batch, grads);
  return { error, grads };
}

function backLayer(l: LayerSpec, i: number, w: Weights, input: Float64Array, out: Float64Array, gOut: Float64Array, batch: number, grads: Weights): Float64Array {
  const g = gOut.map((v, k) => (l.act === 'tanh' ? v * (1 - out[k]! ** 2) : l.act === 'relu' ? (out[k]! > 0 ? v : 0) : v));
  const gW = new Float64Array(l.insize * l.outsize);
  const gIn = new Float64Array(batch * l.insize);
  for (let r = 0; r < batch; r++) {
    for (let k = 0; k < l.insize; k++) {
      for (let j = 0; j < l.outsize; j++) {
        gW[k * l.outsize + j]! += input[r * l.insize + k]! * g[r * l.outsize + j]!;
        gIn[r * l.insize + k]! += g[r * l.outsize + j]! * w[`${2 * i}.W`]![k * l.outsize + j]!;
      }
    }
  }
  grads[`${2 * i}.W`] = gW;
  if (l.useBias) grads[`${2 * i}.b`] = Float64Array.from({ length: l.outsize }, (_, j) => g.reduce((s, v, k) => (k % l.outsize === j ? s + v : s), 0));
  return gIn;
}

export function toDevice(values: Float64Array, shape: number[]) {
  return gpuarray.toGpu(HostArray.from(values, { shape }));
}
