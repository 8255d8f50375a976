import { OnnxError } from './onnx-error.js';

/** Opset 13 is the first where Softmax normalises one axis and Split, ReduceSum and Pad take their sizes as inputs. */
export const MIN_OPSET = 13;
/** The newest opset onnxruntime-node 1.30 runs, which the tests check the export against. */
export const MAX_OPSET = 25;
/** What most runtimes of today load; Gelu needs 20. */
export const DEFAULT_OPSET = 17;

/** The IR version each opset came with (onnx's VERSION_TABLE): the oldest a runtime must read to load the model. */
const IR_VERSIONS: readonly [maxOpset: number, ir: number][] = [
  [14, 7],
  [18, 8],
  [20, 9],
  [22, 10],
  [23, 11],
  [24, 12],
  [25, 13],
];

export function irVersionFor(opset: number): number {
  return IR_VERSIONS.find(([max]) => opset <= max)![1];
}

/** Throws unless `opset` is an opset this package reads and writes; `what` says who asked for it. */
export function checkOpset(opset: number, what: string): void {
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxError(`${what}: opset ${opset} is not supported (${MIN_OPSET} to ${MAX_OPSET})`);
  }
}
