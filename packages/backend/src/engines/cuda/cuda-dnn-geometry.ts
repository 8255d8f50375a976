import type { ConvGeometry, PoolGeometry } from '../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../engine/engine.js';
import type { PadWidths } from '../../engine/tensor-ops.js';
import { BackendError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';

// The problem descriptions the dnn entries take, as Float64Arrays in the field order of native/dnn_geometry.h.
// Every native dnn kernel works on exactly DNN_AXES spatial axes; fewer are padded with leading neutral axes (size 1,
// kernel 1, stride 1, pad 0, dilation 1), which changes no index.

export const DNN_AXES = 3;

/** `values` (one per spatial axis) behind `fill` for the missing leading axes. */
function padAxes(op: string, values: readonly number[], fill: number): number[] {
  if (values.length > DNN_AXES) throw new BackendError(op, `supports at most ${DNN_AXES} spatial axes, got ${values.length}`);
  return [...new Array<number>(DNN_AXES - values.length).fill(fill), ...values];
}

/** The spatial dims of an (N, C, ...) shape. */
const spatial = (shape: readonly number[]): number[] => shape.slice(2);

/**
 * A convolution from `input` (N, Cin, ...) to `output` (N, Cout, ...) with weights w (Cout, Cin/groups, k...).
 * A transposed convolution passes the shapes of the convolution it transposes. The shapes are checked against each
 * other here because the kernels trust them for every address they form.
 */
export function convShape(op: string, input: readonly number[], output: readonly number[], w: readonly number[], geom: ConvGeometry): Float64Array {
  const [n, cin, cout, groups] = [input[0]!, input[1]!, output[1]!, geom.groups];
  const axes = input.length - 2;
  const consistent =
    input.length === output.length &&
    w.length === input.length &&
    output[0] === n &&
    w[0] === cout &&
    w[1]! * groups === cin &&
    cout % groups === 0 &&
    [geom.stride, geom.pad, geom.dilation].every((list) => list.length === axes);
  if (!consistent) {
    throw new BackendError(op, `inconsistent convolution: input ${fmtShape(input)}, output ${fmtShape(output)}, W ${fmtShape(w)}, ${groups} group(s)`);
  }
  return Float64Array.from([
    n,
    cin,
    cout,
    groups,
    ...padAxes(op, spatial(input), 1),
    ...padAxes(op, spatial(output), 1),
    ...padAxes(op, spatial(w), 1),
    ...padAxes(op, geom.stride, 1),
    ...padAxes(op, geom.pad, 0),
    ...padAxes(op, geom.dilation, 1),
  ]);
}

/** Pooling of every (n, c) map of `input` into `output`. */
export function poolShape(op: string, input: readonly number[], output: readonly number[], geom: PoolGeometry): Float64Array {
  const axes = input.length - 2;
  const consistent =
    output.length === input.length &&
    output[0] === input[0] &&
    output[1] === input[1] &&
    [geom.size, geom.stride, geom.pad].every((list) => list.length === axes);
  if (!consistent) throw new BackendError(op, `inconsistent pooling: input ${fmtShape(input)}, output ${fmtShape(output)}`);
  return Float64Array.from([
    input[0]! * input[1]!,
    ...padAxes(op, spatial(input), 1),
    ...padAxes(op, spatial(output), 1),
    ...padAxes(op, geom.size, 1),
    ...padAxes(op, geom.stride, 1),
    ...padAxes(op, geom.pad, 0),
  ]);
}

/** The leading dims of `shape` folded into one, and the trailing `k` dims. */
function splitTrailing(op: string, shape: readonly number[], k: number): [number, number[]] {
  if (k > shape.length) throw new BackendError(op, `${k} trailing axes requested of ${fmtShape(shape)}`);
  return [sizeOf(shape.slice(0, shape.length - k)), shape.slice(shape.length - k)];
}

/** Reflect padding of the trailing dims of `unpadded` (the input of the forward, the output of the backward). */
export function padShape(op: string, unpadded: readonly number[], pads: PadWidths): Float64Array {
  const [outer, dims] = splitTrailing(op, unpadded, pads.length);
  if (pads.some(([l, r], i) => l >= dims[i]! || r >= dims[i]!)) {
    throw new BackendError(op, `reflect pads [${pads.flat().join(', ')}] need longer axes than ${fmtShape(unpadded)}`);
  }
  const before = pads.map(([l]) => l);
  const after = pads.map(([, r]) => r);
  return Float64Array.from([outer, ...padAxes(op, dims, 1), ...padAxes(op, before, 0), ...padAxes(op, after, 0)]);
}

/** Upsampling of the trailing dims of `small` (the input of the forward, the output of the backward). */
export function upsampleShape(op: string, small: readonly number[], scales: readonly number[]): Float64Array {
  const [outer, dims] = splitTrailing(op, small, scales.length);
  return Float64Array.from([outer, ...padAxes(op, dims, 1), ...padAxes(op, scales, 1)]);
}

/** The (N, C, S) view of an (N, C, ...) array: positions folded behind the channel axis. */
export function channelView(ref: ArrayRef): [number, number, number] {
  const [n = 1, c = 1, ...rest] = ref.shape;
  return [n, c, sizeOf(rest)];
}
