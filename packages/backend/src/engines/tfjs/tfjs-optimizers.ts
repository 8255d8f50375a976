import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef, OptimizerRule } from '../../engine/engine.js';
import type { Tf } from './tfjs-loader.js';
import { computeInto, flatTensorOf } from './tfjs-tensors.js';

/** One optimizer update over whole buffers: every state and the param are rewritten once, O(size). */
export function optimizerStep(tf: Tf, rule: OptimizerRule): void {
  const t = (r: ArrayRef): Tensor => flatTensorOf(tf, r);
  const { param, grad } = rule;
  switch (rule.kind) {
    case 'sgd':
      return computeInto(tf, [param], () => [tf.add(t(param), tf.mul(t(grad), rule.lr))]);
    case 'momentumSGD':
      return computeInto(tf, [rule.mom, param], () => {
        const mom = tf.add(tf.mul(t(rule.mom), rule.momRate), tf.mul(t(grad), rule.lr));
        return [mom, tf.add(t(param), mom)];
      });
    case 'nesterovSGD':
      return computeInto(tf, [rule.mom, param], () => {
        const g = t(grad);
        const old = t(rule.mom);
        const mu = rule.momRate;
        const step = tf.add(tf.mul(old, mu * mu), tf.mul(g, (1 + mu) * rule.lr));
        return [tf.add(tf.mul(old, mu), tf.mul(g, rule.lr)), tf.add(t(param), step)];
      });
    case 'rmsprop':
      return computeInto(tf, [rule.ms, param], () => {
        const g = t(grad);
        const ms = tf.add(tf.mul(t(rule.ms), rule.factor), tf.mul(tf.square(g), 1 - rule.factor));
        return [ms, tf.add(t(param), tf.div(tf.mul(g, rule.lr), tf.add(tf.sqrt(ms), rule.epsilon)))];
      });
    case 'rmspropGraves':
      return computeInto(tf, [rule.mg, rule.ms, rule.delta, param], () => {
        const g = t(grad);
        const mg = tf.add(tf.mul(t(rule.mg), rule.alpha), tf.mul(g, 1 - rule.alpha));
        const ms = tf.add(tf.mul(t(rule.ms), rule.alpha), tf.mul(tf.square(g), 1 - rule.alpha));
        const denom = tf.sqrt(tf.add(tf.sub(ms, tf.square(mg)), rule.epsilon));
        const delta = tf.add(tf.mul(t(rule.delta), rule.momRate), tf.div(tf.mul(g, rule.lr), denom));
        return [mg, ms, delta, tf.add(t(param), delta)];
      });
    case 'adagrad':
      return computeInto(tf, [rule.h, param], () => {
        const g = t(grad);
        const h = tf.add(t(rule.h), tf.square(g));
        return [h, tf.add(t(param), tf.div(tf.mul(g, rule.lr), tf.add(tf.sqrt(h), rule.epsilon)))];
      });
    case 'adadelta':
      return computeInto(tf, [rule.msg, rule.msdx, param], () => {
        const g = t(grad);
        const keep = 1 - rule.rho;
        const msgOld = t(rule.msg);
        const msg = tf.add(msgOld, tf.mul(tf.sub(tf.square(g), msgOld), keep));
        const msdxOld = t(rule.msdx);
        const dx = tf.mul(tf.sqrt(tf.div(tf.add(msdxOld, rule.epsilon), tf.add(msg, rule.epsilon))), g);
        const msdx = tf.add(msdxOld, tf.mul(tf.sub(tf.square(dx), msdxOld), keep));
        return [msg, msdx, tf.add(t(param), dx)];
      });
    case 'adam':
      return computeInto(tf, [rule.mg, rule.ms, param], () => {
        const g = t(grad);
        const mgOld = t(rule.mg);
        const msOld = t(rule.ms);
        const mg = tf.add(mgOld, tf.mul(tf.sub(g, mgOld), rule.fix1));
        const ms = tf.add(msOld, tf.mul(tf.sub(tf.square(g), msOld), rule.fix2));
        const step = tf.div(tf.mul(mg, rule.lr), tf.add(tf.sqrt(ms), rule.epsilon));
        return [mg, ms, tf.add(t(param), step)];
      });
    case 'smorms3':
      return computeInto(tf, [rule.mem, rule.mg, rule.ms, param], () => {
        const g = t(grad);
        const memOld = t(rule.mem);
        const r = tf.div(1, tf.add(memOld, 1));
        const mg = tf.add(tf.mul(tf.sub(1, r), t(rule.mg)), tf.mul(r, g));
        const ms = tf.add(tf.mul(tf.sub(1, r), t(rule.ms)), tf.mul(r, tf.square(g)));
        const x = tf.div(tf.square(mg), tf.add(ms, rule.epsilon));
        const mem = tf.add(tf.mul(memOld, tf.sub(1, x)), 1);
        const step = tf.div(tf.mul(g, tf.minimum(x, rule.lr)), tf.add(tf.sqrt(ms), rule.epsilon));
        return [mem, mg, ms, tf.add(t(param), step)];
      });
  }
}
