import type { ConvGeometry, PoolGeometry } from '../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../engine/engine.js';
import type { PadWidths } from '../../engine/tensor-ops.js';
import { BackendError, fmtShape } from '../../errors.js';
import { sizeOf } from '../../shape.js';

// The problem descriptions the dnn entries take, as Float64Arrays in the field order of native/dnn_geometry.h.
// Every native dnn kernel works on exactly DNN_AXES spatial axes; fewer are padded with leading neutral axes (size 1,
// kernel 1, stride 1, pad 0, dilation 1), which changes no index.
//
// Each kind of description is written into one reused buffer: every native entry copies the numbers out before it
// returns, and each caller hands the description to its entry right away, before another one of its kind is built.

export const DNN_AXES = 3;

const convScratch = new Float64Array(4 + 6 * DNN_AXES);
const poolScratch = new Float64Array(1 + 5 * DNN_AXES);
const padScratch = new Float64Array(1 + 3 * DNN_AXES);
const upsampleScratch = new Float64Array(1 + 2 * DNN_AXES);

/**
 * Writes `values` from index `first` on (one per spatial axis) at `at`, behind `fill` for the missing leading axes;
 * returns where the next field starts.
 */
function putAxes(op: string, into: Float64Array, at: number, values: readonly number[], fill: number, first = 0): number {
  const count = values.length - first;
  if (count > DNN_AXES) throw new BackendError(op, `supports at most ${DNN_AXES} spatial axes, got ${count}`);
  const lead = DNN_AXES - count;
  for (let a = 0; a < lead; a++) into[at + a] = fill;
  for (let a = 0; a < count; a++) into[at + lead + a] = values[first + a]!;
  return at + DNN_AXES;
}

/** Where the spatial dims of an (N, C, ...) shape start. */
const SPATIAL = 2;

/**
 * A convolution from `input` (N, Cin, ...) to `output` (N, Cout, ...) with weights w (Cout, Cin/groups, k...).
 * A transposed convolution passes the shapes of the convolution it transposes. The shapes are checked against each
 * other here because the kernels trust them for every address they form.
 */
export function convShape(op: string, input: readonly number[], output: readonly number[], w: readonly number[], geom: ConvGeometry): Float64Array {
  const [n, cin, cout, groups] = [input[0]!, input[1]!, output[1]!, geom.groups];
  const axes = input.length - SPATIAL;
  const consistent =
    input.length === output.length &&
    w.length === input.length &&
    output[0] === n &&
    w[0] === cout &&
    w[1]! * groups === cin &&
    cout % groups === 0 &&
    geom.stride.length === axes &&
    geom.pad.length === axes &&
    geom.dilation.length === axes;
  if (!consistent) {
    throw new BackendError(op, `inconsistent convolution: input ${fmtShape(input)}, output ${fmtShape(output)}, W ${fmtShape(w)}, ${groups} group(s)`);
  }
  const d = convScratch;
  d[0] = n;
  d[1] = cin;
  d[2] = cout;
  d[3] = groups;
  let at = putAxes(op, d, 4, input, 1, SPATIAL);
  at = putAxes(op, d, at, output, 1, SPATIAL);
  at = putAxes(op, d, at, w, 1, SPATIAL);
  at = putAxes(op, d, at, geom.stride, 1);
  at = putAxes(op, d, at, geom.pad, 0);
  putAxes(op, d, at, geom.dilation, 1);
  return d;
}

/** Pooling of every (n, c) map of `input` into `output`. */
export function poolShape(op: string, input: readonly number[], output: readonly number[], geom: PoolGeometry): Float64Array {
  const axes = input.length - SPATIAL;
  const consistent =
    output.length === input.length &&
    output[0] === input[0] &&
    output[1] === input[1] &&
    geom.size.length === axes &&
    geom.stride.length === axes &&
    geom.pad.length === axes;
  if (!consistent) throw new BackendError(op, `inconsistent pooling: input ${fmtShape(input)}, output ${fmtShape(output)}`);
  const d = poolScratch;
  d[0] = input[0]! * input[1]!;
  let at = putAxes(op, d, 1, input, 1, SPATIAL);
  at = putAxes(op, d, at, output, 1, SPATIAL);
  at = putAxes(op, d, at, geom.size, 1);
  at = putAxes(op, d, at, geom.stride, 1);
  putAxes(op, d, at, geom.pad, 0);
  return d;
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
  const d = padScratch;
  d[0] = outer;
  let at = putAxes(op, d, 1, dims, 1);
  at = putAxes(op, d, at, pads.map(([l]) => l), 0);
  putAxes(op, d, at, pads.map(([, r]) => r), 0);
  return d;
}

/** Upsampling of the trailing dims of `small` (the input of the forward, the output of the backward). */
export function upsampleShape(op: string, small: readonly number[], scales: readonly number[]): Float64Array {
  const [outer, dims] = splitTrailing(op, small, scales.length);
  const d = upsampleScratch;
  d[0] = outer;
  const at = putAxes(op, d, 1, dims, 1);
  putAxes(op, d, at, scales, 1);
  return d;
}

/** The (N, C, S) view of an (N, C, ...) array: positions folded behind the channel axis. */
export function channelView(ref: ArrayRef): [number, number, number] {
  const shape = ref.shape;
  let positions = 1;
  for (let i = 2; i < shape.length; i++) positions *= shape[i]!;
  return [shape[0] ?? 1, shape[1] ?? 1, positions];
}
