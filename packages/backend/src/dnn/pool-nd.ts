import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import type { PoolGeometry } from '../engine/conv-pool-ops.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { perAxis, requireNCHW, requirePositiveOutput, type SpatialParam } from './conv-params.js';
import { dnnOp } from './require-dnn.js';

/** PuzzleLib's pooling modes; maxDeterminism is max (the engines' max backward is deterministic). */
export const PoolMode = { max: 'max', avgWithPad: 'avgWithPad', avgNoPad: 'avgNoPad', maxDeterminism: 'maxDeterminism' } as const;
export type PoolMode = (typeof PoolMode)[keyof typeof PoolMode];
const POOL_MODES: readonly string[] = Object.values(PoolMode);

export interface PoolOptions {
  size?: SpatialParam;
  stride?: SpatialParam;
  pad?: SpatialParam;
  mode?: PoolMode;
}

function poolGeometry(op: string, opts: PoolOptions): PoolGeometry {
  const mode = opts.mode ?? 'max';
  if (!POOL_MODES.includes(mode)) throw new BackendError(op, `unknown pool mode '${String(mode)}'`);
  const geom = {
    size: perAxis(op, 'size', opts.size ?? 2, 1),
    stride: perAxis(op, 'stride', opts.stride ?? 2, 1),
    pad: perAxis(op, 'pad', opts.pad ?? 0, 0),
    mode: mode === 'maxDeterminism' ? 'max' : mode,
  };
  // A window made of padding only would have no maximum and no real cells to average.
  if (geom.pad.some((p, a) => p >= geom.size[a]!)) {
    throw new BackendError(op, `pad [${geom.pad.join(', ')}] must be smaller than size [${geom.size.join(', ')}]`);
  }
  return geom;
}

/** o = floor((i + 2p − k)/s) + 1 per spatial axis. */
function poolShape(dataShape: readonly number[], geom: PoolGeometry): number[] {
  const out = [dataShape[0]!, dataShape[1]!];
  for (let a = 0; a + 2 < dataShape.length; a++) {
    out.push(Math.floor((dataShape[a + 2]! + 2 * geom.pad[a]! - geom.size[a]!) / geom.stride[a]!) + 1);
  }
  return out;
}

/** Output shape of poolNd for NCHW data of `dataShape`. */
export function poolOutputShape(dataShape: readonly number[], opts: PoolOptions = {}): number[] {
  return poolShape(dataShape, poolGeometry('Dnn.poolOutputShape', opts));
}

function checkPool(op: string, data: GPUArray, opts: PoolOptions): { geom: PoolGeometry; outShape: number[] } {
  requireNCHW(op, 'data', data);
  requireFloat(op, data);
  const geom = poolGeometry(op, opts);
  const outShape = poolShape(data.shape, geom);
  requirePositiveOutput(op, outShape, () => `window [${geom.size.join(', ')}] on data ${fmtShape(data.shape)} with pad [${geom.pad.join(', ')}]`);
  return { geom, outShape };
}

/** Pooling of NCHW data: max pads with −∞, avgWithPad divides by the window size, avgNoPad by its real cells. */
export function poolNd(data: GPUArray, opts: PoolOptions = {}): GPUArray {
  const op = 'Dnn.poolNd';
  const run = dnnOp(op, 'poolNd');
  const { geom, outShape } = checkPool(op, data, opts);
  const [x] = contiguousRefs(op, data);
  const out = empty(outShape, data.dtype);
  run(x!, out.ref(op), geom);
  return out;
}

/** Input gradient of poolNd; max sends each gradient to the first maximum of its window. */
export function poolNdBackward(indata: GPUArray, outdata: GPUArray, grad: GPUArray, opts: PoolOptions = {}): GPUArray {
  const op = 'Dnn.poolNdBackward';
  const run = dnnOp(op, 'poolNdBackward');
  const { geom, outShape } = checkPool(op, indata, opts);
  requireShape(op, 'outdata', outdata, outShape);
  requireShape(op, 'grad', grad, outShape);
  requireFloat(op, indata, outdata, grad);
  const [x, y, g] = contiguousRefs(op, indata, outdata, grad);
  const out = empty(indata.shape, indata.dtype);
  run(x!, y!, g!, out.ref(op), geom);
  return out;
}
