import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import type { BenchPlan, CaseSpec, MlpModel } from './bench-plan.js';

const require = createRequire(import.meta.url);

export interface LayersWorkload {
  step(index: number): Promise<void>;
  readonly errors: number[];
  dispose(): void;
}

/**
 * tfjs-layers through CommonJS, as the tfjs engine loads tfjs-core (packages/backend/src/engines/tfjs/tfjs-loader.ts):
 * both then use one tfjs-core instance and one registered cpu backend, so the comparison is of the frameworks on
 * the very same kernels, not of two copies of tfjs.
 */
export function loadTfjsLayers(): { tf: typeof TfCore; tfl: typeof TfLayers } {
  const tf = require('@tensorflow/tfjs-core') as typeof TfCore;
  require('@tensorflow/tfjs-backend-cpu');
  const tfl = require('@tensorflow/tfjs-layers') as typeof TfLayers;
  return { tf, tfl };
}

function buildModel(tfl: typeof TfLayers, model: MlpModel): TfLayers.Sequential {
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
 * Plain tfjs-layers training of the same MLP: compile with Adam and MSE, then trainOnBatch per step. trainOnBatch
 * returns the loss of every step (on the cpu backend a copy, not a device round trip); every `errorEvery`-th is kept.
 */
export function layersWorkload(spec: CaseSpec, plan: BenchPlan): LayersWorkload {
  const model = spec.model;
  if (model.kind !== 'mlp') throw new RangeError(`tfjs-layers peer: case ${spec.id} is not an MLP`);
  const { tf, tfl } = loadTfjsLayers();
  if (tf.getBackend() !== 'cpu') throw new Error(`tfjs-layers peer: backend is ${tf.getBackend()}, expected cpu`);
  const net = buildModel(tfl, model);
  const { alpha, beta1, beta2, epsilon } = plan.adam;
  net.compile({ optimizer: tf.train.adam(alpha, beta1, beta2, epsilon), loss: 'meanSquaredError' });
  const x = tf.randomNormal([model.batch, model.sizes[0]!], 0, 1, 'float32', plan.seed);
  const y = tf.randomNormal([model.batch, model.sizes.at(-1)!], 0, 1, 'float32', plan.seed + 1);
  const errors: number[] = [];
  return {
    errors,
    async step(index) {
      const loss = await net.trainOnBatch(x, y);
      if (spec.errorEvery > 0 && (index + 1) % spec.errorEvery === 0) errors.push(Array.isArray(loss) ? loss[0]! : loss);
    },
    dispose() {
      net.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
