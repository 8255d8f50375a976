import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { requireMaps } from './axes-view.js';
import { dnnOp } from './require-dnn.js';

/** Softmax over axis 1 for every (n, spatial position) of (N, C) or (N, C, ...) data, max-shifted for stability. */
export function softmaxNd(data: GPUArray): GPUArray {
  const op = 'Dnn.softmaxNd';
  requireMaps(op, data);
  requireFloat(op, data);
  const run = dnnOp(op, 'softmaxNd');
  const [x] = contiguousRefs(op, data);
  const out = empty(data.shape, data.dtype);
  run(x!, out.ref(op));
  return out;
}

/** Input gradient of softmaxNd from its output y: y·(g − Σ_c y·g). */
export function softmaxNdBackward(outdata: GPUArray, grad: GPUArray): GPUArray {
  const op = 'Dnn.softmaxNdBackward';
  requireMaps(op, outdata);
  requireShape(op, 'grad', grad, outdata.shape);
  requireFloat(op, outdata, grad);
  const run = dnnOp(op, 'softmaxNdBackward');
  const [y, g] = contiguousRefs(op, outdata, grad);
  const out = empty(outdata.shape, outdata.dtype);
  run(y!, g!, out.ref(op));
  return out;
}
