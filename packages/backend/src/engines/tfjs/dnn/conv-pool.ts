import type { ConvPoolOps } from '../../../engine/conv-pool-ops.js';
import type { Tf } from '../tfjs-loader.js';
import * as conv from './conv-ops.js';
import * as pool from './pool-ops.js';

export function convPoolOps(tf: Tf): ConvPoolOps {
  return {
    convNd: (x, w, bias, out, geom) => conv.convNd(tf, x, w, bias, out, geom),
    convNdBackwardData: (grad, w, out, geom) => conv.convNdBackwardData(tf, grad, w, out, geom),
    convNdBackwardParams: (x, grad, wgrad, bgrad, geom, acc) => conv.convNdBackwardParams(tf, x, grad, wgrad, bgrad, geom, acc),
    deconvNd: (x, w, bias, out, geom) => conv.deconvNd(tf, x, w, bias, out, geom),
    deconvNdBackwardData: (grad, w, out, geom) => conv.deconvNdBackwardData(tf, grad, w, out, geom),
    deconvNdBackwardParams: (x, grad, wgrad, bgrad, geom, acc) => conv.deconvNdBackwardParams(tf, x, grad, wgrad, bgrad, geom, acc),
    poolNd: (x, out, geom) => pool.poolNd(tf, x, out, geom),
    poolNdBackward: (x, y, grad, out, geom) => pool.poolNdBackward(tf, x, y, grad, out, geom),
  };
}
