import { HostArray, type DType } from '@puzzle/backend';
import { OnnxError } from '../onnx-error.js';
import { Attributes } from '../proto/attributes.js';
import type { NodeProto } from '../proto/onnx-types.js';
import { hostFromValues, readTensor, type TensorValues } from '../proto/tensors.js';
import type { ValueTable } from './value-table.js';

/** One ONNX node as an importer sees it: its attributes, its constant and computed inputs, errors naming it. */
export class NodeImport {
  readonly attrs: Attributes;

  constructor(
    readonly node: NodeProto,
    /** The name the module gets: the node's own, made unique. */
    readonly name: string,
    readonly values: ValueTable,
    readonly opset: number,
  ) {
    this.attrs = new Attributes(node, this.where);
  }

  get op(): string {
    return this.node.op_type ?? '';
  }

  get where(): string {
    return `${this.op} node '${this.node.name || this.name}'`;
  }

  fail(message: string): never {
    throw new OnnxError(`${this.where}: ${message}`);
  }

  /** Input `i`'s value name, or null where it is absent (past the end, or ''). */
  input(i: number): string | null {
    const name = this.node.input?.[i];
    return name === undefined || name === '' ? null : name;
  }

  /** The inputs the net computes, in order (constants left out). */
  get dynamicInputs(): string[] {
    return (this.node.input ?? []).filter((n) => this.values.isDynamic(n));
  }

  /** The single computed input of a node that takes one. */
  get x(): string {
    const inputs = this.dynamicInputs;
    if (inputs.length !== 1) this.fail(`expects one computed input, got ${inputs.length}`);
    return inputs[0]!;
  }

  shape(name: string): readonly number[] {
    return this.values.shape(name);
  }

  dtype(name: string): DType {
    return this.values.dtypes.get(name) ?? 'float32';
  }

  /** Input `i` as a constant tensor, or null when it is absent; a computed input here is an error. */
  constant(i: number): TensorValues | null {
    const name = this.input(i);
    if (name === null) return null;
    const tensor = this.values.constants.get(name);
    if (tensor === undefined) {
      const by = this.values.derived.get(name);
      this.fail(`input ${i} ('${name}') must be a constant${by ? `, not computed by ${by.op_type} node '${by.name ?? ''}'` : ''}`);
    }
    return readTensor(tensor, `${this.where}, input '${name}'`);
  }

  /** A constant integer input (shapes, axes, pads) as numbers. */
  ints(i: number): number[] | null {
    const c = this.constant(i);
    return c === null ? null : Array.from(c.data as ArrayLike<number>);
  }

  /** A constant float input as a float32 host array of `shape` (same size), as Puzzle's parameters are. */
  param(i: number, shape: readonly number[]): HostArray {
    const c = this.constant(i);
    if (c === null) this.fail(`input ${i} is missing`);
    const size = shape.reduce((p, d) => p * d, 1);
    if (c.data.length !== size) this.fail(`input ${i} has dims [${c.dims.join(', ')}], expected ${size} values for shape [${shape.join(', ')}]`);
    const host = hostFromValues(c, shape, this.where);
    return host.dtype === 'float32' ? host : new HostArray(host.toFloat32(), shape, 'float32');
  }

  /** A constant float input holding one number. */
  scalar(i: number, fallback: number): number {
    const c = this.constant(i);
    if (c === null) return fallback;
    if (c.data.length !== 1) this.fail(`input ${i} must hold one number, has dims [${c.dims.join(', ')}]`);
    return this.param(i, [1]).data[0]!;
  }

  /** Throws unless the attribute has its default (a feature Puzzle's module does not have). */
  requireDefault(name: string, value: number | string): void {
    if (!this.attrs.has(name)) return;
    const actual = typeof value === 'number' ? this.attrs.int(name, value) : this.attrs.string(name, value);
    if (actual !== value) this.fail(`attribute ${name} = ${actual} is not supported (only ${value})`);
  }
}
