import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import type { BenchPlan, CaseSpec, MlpModel } from './bench-plan.js';
import { LENET_CLASSES, LENET_INPUT } from './puzzle-nets.js';

const require = createRequire(import.meta.url);

export interface LayersWorkload {
  step(index: number): Promise<void>;
  readonly errors: number[];
  dispose(): void;
}

/**
 * tfjs-layers through CommonJS, as the tfjs engine loads tfjs-core (packages/backend/src/engines/tfjs/tfjs-loader.ts):
 * both then use one tfjs-core instance and the backend the engine chose, so the comparison is of the frameworks on
 * the very same kernels, not of two copies of tfjs.
 */
export function loadTfjsLayers(): { tf: typeof TfCore; tfl: typeof TfLayers } {
  const tf = require('@tensorflow/tfjs-core') as typeof TfCore;
  const tfl = require('@tensorflow/tfjs-layers') as typeof TfLayers;
  return { tf, tfl };
}

function buildMlp(tfl: typeof TfLayers, model: MlpModel): TfLayers.Sequential {
  const net = tfl.sequential();
  const layers = model.sizes.length - 1;
  for (let l = 0; l < layers; l++) {
    net.add(
      tfl.layers.dense({
        units: model.sizes[l + 1]!,
        useBias: model.bias[l]!,
        activation: l + 1 < layers ? 'relu' : 'linear',
        ...(l === 0 ? { inputShape: [model.sizes[0]!] } : {}),
      }),
    );
  }
  return net;
}

/**
 * PuzzleLib's loadLeNet in tfjs-layers' own layout, channels last (the only one tfjs-backend-wasm convolves), ending
 * in a softmax for categoricalCrossentropy: together the same cross-entropy of the same scores as Puzzle's.
 */
function buildLeNet(tfl: typeof TfLayers): TfLayers.Sequential {
  const [, h, w] = LENET_INPUT;
  const conv = (filters: number, kernelSize: number, extra: object = {}) => tfl.layers.conv2d({ filters, kernelSize, ...extra });
  const pool = () => tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 });
  return tfl.sequential({
    layers: [
      conv(16, 3, { inputShape: [h, w, 1] }),
      pool(),
      tfl.layers.activation({ activation: 'relu' }),
      conv(32, 4),
      pool(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 1024, activation: 'relu' }),
      tfl.layers.dense({ units: LENET_CLASSES, activation: 'softmax' }),
    ],
  });
}

/** The net, its loss and one batch of data and targets for a case. */
function setUp(tf: typeof TfCore, tfl: typeof TfLayers, spec: CaseSpec, seed: number) {
  const model = spec.model;
  if (model.kind === 'mlp') {
    const x = tf.randomNormal([model.batch, model.sizes[0]!], 0, 1, 'float32', seed);
    const y = tf.randomNormal([model.batch, model.sizes.at(-1)!], 0, 1, 'float32', seed + 1);
    return { net: buildMlp(tfl, model), loss: 'meanSquaredError', x, y };
  }
  if (model.kind !== 'lenet') throw new RangeError(`tfjs-layers peer: case ${spec.id} trains no net`);
  const x = tf.randomNormal([model.batch, LENET_INPUT[1], LENET_INPUT[2], 1], 0, 1, 'float32', seed);
  const labels = tf.randomUniform([model.batch], 0, LENET_CLASSES, 'int32', seed + 1);
  const y = tf.tidy(() => tf.oneHot(labels as TfCore.Tensor1D, LENET_CLASSES));
  labels.dispose();
  return { net: buildLeNet(tfl), loss: 'categoricalCrossentropy', x, y };
}

/**
 * Plain tfjs-layers training of the same net on `backend` (the tfjs backend Puzzle's engine runs on): compile with
 * Adam and the case's loss, then trainOnBatch per step, which returns the loss of every step; every `errorEvery`-th
 * is kept.
 */
export function layersWorkload(spec: CaseSpec, plan: BenchPlan, backend: string): LayersWorkload {
  const { tf, tfl } = loadTfjsLayers();
  if (tf.getBackend() !== backend) throw new Error(`tfjs-layers peer: backend is ${tf.getBackend()}, expected ${backend}`);
  const { net, loss, x, y } = setUp(tf, tfl, spec, plan.seed);
  const { alpha, beta1, beta2, epsilon } = plan.adam;
  net.compile({ optimizer: tf.train.adam(alpha, beta1, beta2, epsilon), loss });
  const errors: number[] = [];
  return {
    errors,
    async step(index) {
      const value = await net.trainOnBatch(x, y);
      if (spec.errorEvery > 0 && (index + 1) % spec.errorEvery === 0) errors.push(Array.isArray(value) ? value[0]! : value);
    },
    dispose() {
      net.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
