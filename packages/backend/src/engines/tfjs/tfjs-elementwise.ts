import type { Tensor } from '@tensorflow/tfjs-core';
import type { ActivationKind, ArrayRef, ElementwiseOp } from '../../engine/engine.js';
import type { Tf } from './tfjs-loader.js';
import { sizeOf } from '../../shape.js';
import { computeInto, flatTensorOf, tensorOf } from './tfjs-tensors.js';

function forward(tf: Tf, fn: ActivationKind, x: Tensor, a: number, b: number): Tensor {
  switch (fn) {
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.mul(x, tf.step(x, a));
    case 'elu':
      return tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), a));
    case 'softPlus':
      return tf.softplus(x);
    case 'clip':
      return tf.clipByValue(x, a, b);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  }
}

/** The derivative times the incoming grad; `y` is the forward output except for gelu (the input). */
function backward(tf: Tf, fn: ActivationKind, g: Tensor, y: Tensor, a: number, b: number): Tensor {
  switch (fn) {
    case 'sigmoid':
      return tf.mul(g, tf.mul(y, tf.sub(1, y)));
    case 'tanh':
      return tf.mul(g, tf.sub(1, tf.square(y)));
    case 'relu':
      return tf.mul(g, tf.step(y));
    case 'leakyRelu':
      return tf.mul(g, tf.step(y, a));
    case 'elu':
      return tf.where(tf.greater(y, 0), g, tf.mul(g, tf.add(y, a)));
    case 'softPlus':
      return tf.mul(g, tf.sub(1, tf.exp(tf.neg(y))));
    case 'clip':
      return tf.mul(g, tf.cast(tf.logicalAnd(tf.greater(y, a), tf.less(y, b)), 'float32'));
    case 'gelu': {
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(y, Math.SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(y), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return tf.mul(g, tf.add(cdf, tf.mul(y, pdf)));
    }
  }
}

export function elementwise(tf: Tf, op: ElementwiseOp): void {
  const t = (r: ArrayRef) => flatTensorOf(tf, r);
  switch (op.kind) {
    case 'activation':
      return computeInto(tf, [op.out], () => [forward(tf, op.fn, t(op.x), op.a, op.b)]);
    case 'activationGrad':
      return computeInto(tf, [op.out], () => [backward(tf, op.fn, t(op.grad), t(op.y), op.a, op.b)]);
    case 'linear':
      return computeInto(tf, [op.out], () => [tf.add(tf.mul(t(op.x), op.a), op.b)]);
    case 'add':
      return computeInto(tf, [op.out], () => [tf.add(tf.mul(t(op.x), op.alpha), tf.mul(t(op.y), op.beta))]);
    case 'mul':
      return computeInto(tf, [op.out], () => [tf.mul(t(op.x), t(op.y))]);
    case 'abs':
      return computeInto(tf, [op.out], () => [tf.abs(t(op.x))]);
    case 'dropout':
      return computeInto(tf, [op.out], () => {
        const maps = sizeOf(op.x.shape) / op.mapsize;
        const keep = tf.cast(tf.less(tensorOf(tf, op.uniform, [maps, 1]), op.p), 'float32');
        return [tf.div(tf.mul(tensorOf(tf, op.x, [maps, op.mapsize]), keep), op.p)];
      });
    case 'weightDecay':
      return computeInto(tf, [op.grad], () => [tf.sub(t(op.grad), tf.mul(t(op.param), op.rate))]);
    case 'l1Penalty':
      return computeInto(tf, [op.out], () => {
        const sign = tf.sub(tf.mul(tf.cast(tf.greaterEqual(t(op.data), 0), 'float32'), 2), 1);
        return [tf.sub(t(op.grad), tf.mul(sign, op.a))];
      });
  }
}
