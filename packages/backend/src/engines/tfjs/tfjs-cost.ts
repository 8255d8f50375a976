import type { Tensor } from '@tensorflow/tfjs-core';
import type { CostKernel, CostMetric, CostOps, ErrorSink } from '../../engine/cost-ops.js';
import type { ArrayRef } from '../../engine/engine.js';
import type { Tf } from './tfjs-loader.js';
import { sizeOf as shapeSize } from '../../shape.js';
import { contiguousView } from './host-buffer.js';
import { hostExtremes, hostSum } from './host-reduce.js';
import { flatTensorOf, storeTensor, tensorOf, valuesOf } from './tfjs-tensors.js';

type Kernel<K extends CostKernel['kind']> = Extract<CostKernel, { kind: K }>;
/**
 * The grads a kernel writes, in the order of its `outs`, and the terms whose sum is its error: the sum is taken on
 * the host in float64 (see hostSum), where the error goes anyway.
 */
type Result = { grads: Tensor[]; error: Tensor; errorScale?: number };

const sizeOf = (r: ArrayRef): number => shapeSize(r.shape);

export function tfjsCostOps(tf: Tf): CostOps {
  return {
    cost: (kernel, sink) => runCost(tf, kernel, sink),
    count: (metric) => tf.tidy(() => hostSum(valuesOf(tf, countOf(tf, metric)))),
    labelRange: (labels) => hostExtremes(contiguousView(labels)),
  };
}

function runCost(tf: Tf, k: CostKernel, sink: ErrorSink): void {
  tf.tidy(() => {
    const { grads, error, errorScale = 1 } = compute(tf, k);
    const outs = k.kind === 'l1Hinge' ? [k.g1, k.g2] : [k.grad];
    const scaled = Math.fround(sink.scale * errorScale * hostSum(valuesOf(tf, error)));
    // The inputs are tensors by now, so a grad buffer that aliases one of them is safe to write.
    outs.forEach((o, i) => storeTensor(tf, o, grads[i]!));
    const slots = contiguousView(sink.slots) as Float32Array;
    slots[0] = scaled;
    slots[1] = slots[1]! + scaled;
  });
}

function compute(tf: Tf, k: CostKernel): Result {
  switch (k.kind) {
    case 'mse':
    case 'abs':
    case 'smoothL1':
      return distance(tf, k);
    case 'bce':
      return bce(tf, k);
    case 'hinge':
      return hinge(tf, k);
    case 'l1Hinge':
      return l1Hinge(tf, k);
    case 'crossEntropy':
      return crossEntropy(tf, k);
    case 'svm':
      return svm(tf, k);
    case 'klDivergence':
      return klDivergence(tf, k);
  }
}

const flat = flatTensorOf;
const asFloat = (tf: Tf, t: Tensor): Tensor => tf.cast(t, 'float32');
/** +1 where x > 0, else −1 (PuzzleLib's sign: zero counts as negative). */
const signNeg0 = (tf: Tf, x: Tensor): Tensor => tf.sub(tf.mul(asFloat(tf, tf.greater(x, 0)), 2), 1);

function distance(tf: Tf, k: Kernel<'mse'> | Kernel<'abs'> | Kernel<'smoothL1'>): Result {
  const d = tf.sub(flat(tf, k.pred), flat(tf, k.target));
  if (k.kind === 'mse') return { grads: [tf.mul(d, -k.gradNorm)], error: tf.square(d), errorScale: 0.5 };
  const ad = tf.abs(d);
  if (k.kind === 'abs') return { grads: [tf.mul(signNeg0(tf, d), -k.gradNorm)], error: ad };
  const small = tf.less(ad, 1);
  const error = tf.where(small, tf.mul(tf.square(d), 0.5), tf.sub(ad, 0.5));
  return { grads: [tf.mul(tf.where(small, d, tf.sign(d)), -k.gradNorm)], error };
}

function bce(tf: Tf, k: Kernel<'bce'>): Result {
  const s = flat(tf, k.scores);
  const positive = tf.equal(flat(tf, k.labels), 1);
  // −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s), stable for large |s|.
  const error = tf.where(positive, tf.softplus(tf.neg(s)), tf.softplus(s));
  return { grads: [tf.mul(tf.sub(asFloat(tf, positive), tf.sigmoid(s)), k.gradNorm)], error };
}

function hinge(tf: Tf, k: Kernel<'hinge'>): Result {
  const y = asFloat(tf, flat(tf, k.labels));
  const margin = tf.mul(flat(tf, k.scores), y);
  const active = asFloat(tf, tf.less(margin, 1));
  return { grads: [tf.mul(tf.mul(y, active), k.gradNorm)], error: tf.relu(tf.sub(1, margin)) };
}

function l1Hinge(tf: Tf, k: Kernel<'l1Hinge'>): Result {
  const rows = sizeOf(k.labels);
  const d = tf.sub(tensorOf(tf, k.x1, [rows, k.cols]), tensorOf(tf, k.x2, [rows, k.cols]));
  const ad = tf.abs(d);
  const similar = asFloat(tf, tf.equal(tensorOf(tf, k.labels, [rows, 1]), 1));
  const dissimilar = tf.sub(1, similar);
  const error = tf.add(tf.mul(similar, ad), tf.mul(dissimilar, tf.relu(tf.sub(1, ad))));
  const sign = signNeg0(tf, d);
  const pushApart = tf.mul(tf.mul(dissimilar, asFloat(tf, tf.less(ad, 1))), sign);
  const g1 = tf.mul(tf.sub(pushApart, tf.mul(similar, sign)), k.gradNorm);
  return { grads: [g1, tf.neg(g1)], error };
}

/** One-hot of int32 labels (batch, spatial) as float (batch, classes, spatial). */
function oneHotSpatial(tf: Tf, labels: ArrayRef, batch: number, classes: number, spatial: number): Tensor {
  const hot = tf.oneHot(tensorOf(tf, labels, [batch * spatial]) as Parameters<Tf['oneHot']>[0], classes);
  return asFloat(tf, tf.transpose(tf.reshape(hot, [batch, spatial, classes]), [0, 2, 1]));
}

function crossEntropy(tf: Tf, k: Kernel<'crossEntropy'>): Result {
  const s = tensorOf(tf, k.scores, [k.batch, k.classes, k.spatial]);
  const logp = tf.sub(s, tf.logSumExp(s, 1, true));
  const onehot = oneHotSpatial(tf, k.labels, k.batch, k.classes, k.spatial);
  const labels = tensorOf(tf, k.labels, [k.batch, 1, k.spatial]);
  const w = k.weights ? tf.gather(flat(tf, k.weights), labels) : tf.onesLike(labels);
  const error = tf.neg(tf.mul(tf.mul(onehot, logp), w));
  return { grads: [tf.mul(tf.mul(tf.sub(onehot, tf.exp(logp)), w), k.gradNorm)], error };
}

function svm(tf: Tf, k: Kernel<'svm'>): Result {
  const s = tensorOf(tf, k.scores, [k.batch, k.classes, k.spatial]);
  const cls = tf.sub(tf.mul(oneHotSpatial(tf, k.labels, k.batch, k.classes, k.spatial), 2), 1);
  const e = tf.relu(tf.sub(1, tf.mul(s, cls)));
  if (k.mode === 'l2') return { grads: [tf.mul(tf.mul(cls, e), 2 * k.gradNorm)], error: tf.square(e) };
  return { grads: [tf.mul(tf.mul(cls, asFloat(tf, tf.greater(e, 0))), k.gradNorm)], error: e };
}

function klDivergence(tf: Tf, k: Kernel<'klDivergence'>): Result {
  const pred = tensorOf(tf, k.pred, [k.rows, k.cols]);
  const target = tensorOf(tf, k.target, [k.rows, k.cols]);
  const logx = tf.logSoftmax(pred);
  const y = k.normTarget ? tf.softmax(target) : target;
  const yPos = tf.relu(y);
  // log y only matters where y > 0; elsewhere any finite value times y⁺ = 0 does.
  const logy = k.normTarget ? tf.logSoftmax(target) : tf.log(tf.where(tf.greater(y, 0), y, tf.onesLike(y)));
  const error = tf.mul(yPos, tf.sub(logy, logx));
  const grad = tf.sub(yPos, tf.mul(tf.exp(logx), tf.sum(yPos, 1, true)));
  return { grads: [tf.mul(grad, k.gradNorm)], error };
}

/** 1 where a prediction is wrong, else 0; the count is their sum. */
function countOf(tf: Tf, m: CostMetric): Tensor {
  if (m.kind === 'labelMismatch') return tf.notEqual(flat(tf, m.predicted), flat(tf, m.labels));
  const v = flat(tf, m.values);
  const predicted = m.atMost ? tf.lessEqual(v, m.threshold) : tf.greater(v, m.threshold);
  const positive = tf.equal(flat(tf, m.labels), 1);
  return tf.notEqual(predicted, positive);
}
