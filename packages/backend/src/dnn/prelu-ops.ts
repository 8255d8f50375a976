import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { requireMaps } from './axes-view.js';
import { dnnOp } from './require-dnn.js';

/** Data is (N, C, ...) and slopes hold C values (1 when shared by every map). */
function checkSlopes(op: string, data: GPUArray, slopes: GPUArray, sharedMaps: boolean): void {
  requireMaps(op, data);
  requireFloat(op, data, slopes);
  const wanted = sharedMaps ? 1 : data.shape[1]!;
  if (slopes.size !== wanted) {
    throw new BackendError(op, `slopes must hold ${wanted} values for data ${fmtShape(data.shape)}${sharedMaps ? ' (shared maps)' : ''}, got ${fmtShape(slopes.shape)}`);
  }
}

/** Parametric ReLU over axis 1: y = x if x > 0 else slope_c·x. `inplace` writes into data. */
export function prelu(data: GPUArray, slopes: GPUArray, opts: { inplace?: boolean; sharedMaps?: boolean } = {}): GPUArray {
  const op = 'Dnn.prelu';
  checkSlopes(op, data, slopes, opts.sharedMaps ?? false);
  const run = dnnOp(op, 'prelu');
  const [x, s] = contiguousRefs(op, data, slopes);
  const out = opts.inplace ? data : empty(data.shape, data.dtype);
  run(x!, s!, out.ref(op));
  return out;
}

/** Input gradient of prelu: g·([x > 0] + slope_c·[x ≤ 0]). */
export function preluBackwardData(grad: GPUArray, slopes: GPUArray, indata: GPUArray, opts: { sharedMaps?: boolean } = {}): GPUArray {
  const op = 'Dnn.preluBackwardData';
  checkSlopes(op, indata, slopes, opts.sharedMaps ?? false);
  requireShape(op, 'grad', grad, indata.shape);
  requireFloat(op, indata, grad);
  const run = dnnOp(op, 'preluBackwardData');
  const [g, s, x] = contiguousRefs(op, grad, slopes, indata);
  const out = empty(indata.shape, indata.dtype);
  run(g!, s!, x!, out.ref(op));
  return out;
}

export interface PreluParamOptions {
  sharedMaps?: boolean;
  /** Accumulate into this slope gradient: out = scale·fresh + momentum·out. */
  out?: GPUArray;
  scale?: number;
  momentum?: number;
}

/** Slope gradient Σ_{n, spatial} g·x·[x ≤ 0] per channel (one value when shared). */
export function preluBackwardParams(indata: GPUArray, grad: GPUArray, opts: PreluParamOptions = {}): GPUArray {
  const op = 'Dnn.preluBackwardParams';
  const sharedMaps = opts.sharedMaps ?? false;
  requireMaps(op, indata);
  requireShape(op, 'grad', grad, indata.shape);
  requireFloat(op, indata, grad);
  const size = sharedMaps ? 1 : indata.shape[1]!;
  if (opts.out && (opts.out.size !== size || opts.out.dtype !== indata.dtype)) {
    throw new BackendError(op, `out must hold ${size} ${indata.dtype} values, got ${fmtShape(opts.out.shape)} ${opts.out.dtype}`);
  }
  const run = dnnOp(op, 'preluBackwardParams');
  const [x, g] = contiguousRefs(op, indata, grad);
  const out = opts.out ?? empty([size], indata.dtype);
  const [alpha, beta] = opts.out ? [opts.scale ?? 1, opts.momentum ?? 0] : [1, 0];
  run(x!, g!, contiguousRefs(op, out)[0]!, alpha, beta);
  return out;
}
