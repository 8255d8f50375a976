import type { DType, GPUArray } from '@puzzle/backend';
import { HostArray } from '@puzzle/backend';
import type { AttributeProto, NodeProto, TensorProto } from '../proto/onnx-types.js';
import { int64Tensor, tensorFromHost } from '../proto/tensors.js';

/**
 * Collects the nodes and initializers of one ONNX graph. Value names (node outputs, initializers, graph inputs and
 * outputs share one namespace in ONNX) and node names are kept unique here, so converters name things after the
 * module's path without checking.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly taken = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Initializers already made from a device array, by the dims they were stored with. */
  private readonly params = new Map<GPUArray, Map<string, string>>();

  /** A value name not used yet: `base`, else `base_1`, `base_2`, ... */
  claim(base: string): string {
    let name = base;
    for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /**
   * Adds a node named `name` (or `name/op` when a module's first node took that name) and returns its output names,
   * which follow the node's name.
   */
  node(op: string, inputs: readonly string[], opts: { name: string; attrs?: AttributeProto[]; outputs?: number | string[] }): string[] {
    const name = this.nodeName(opts.name, op);
    const count = opts.outputs ?? 1;
    const outputs = Array.isArray(count) ? count : Array.from({ length: count }, (_, k) => this.claim(k === 0 ? name : `${name}:${k}`));
    this.nodes.push({ name, op_type: op, input: [...inputs], output: outputs, attribute: opts.attrs ?? [] });
    return outputs;
  }

  /** A node with one output: its name. */
  op(op: string, inputs: readonly string[], name: string, attrs: AttributeProto[] = []): string {
    return this.node(op, inputs, { name, attrs })[0]!;
  }

  /** The initializer of a device array, read once per array and dims (a shared variable is stored once). */
  param(array: GPUArray, name: string, dims: readonly number[] = array.shape): string {
    const key = dims.join(',');
    const made = this.params.get(array) ?? new Map<string, string>();
    this.params.set(array, made);
    const found = made.get(key);
    if (found !== undefined) return found;
    const unique = this.claim(name);
    this.initializers.push(tensorFromHost(unique, array.get(), dims));
    made.set(key, unique);
    return unique;
  }

  /** An int64 constant (shapes, axes, pads, repeats); a vector unless `dims` says otherwise ([] for a scalar). */
  int64s(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(int64Tensor(name, values, dims));
  }

  /** A scalar constant of `dtype` (clip bounds, pad values, factors). */
  scalar(name: string, value: number, dtype: DType): string {
    return this.constant(tensorFromHost(name, HostArray.from([value], { shape: [], dtype })));
  }

  /** A float32 constant vector (Resize scales). */
  floats(name: string, values: readonly number[]): string {
    return this.constant(tensorFromHost(name, HostArray.from(values, { shape: [values.length] })));
  }

  /** Renames a value everywhere it is read or written (graph outputs take the names the caller asked for). */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = node.input!.map((n) => (n === from ? to : n));
      node.output = node.output!.map((n) => (n === from ? to : n));
    }
    for (const t of this.initializers) if (t.name === from) t.name = to;
  }

  /** Moves whatever value holds `name` to a fresh name, so the caller can give `name` to a graph output. */
  free(name: string): void {
    if (this.taken.has(name)) this.rename(name, this.claim(name));
  }

  private constant(tensor: TensorProto): string {
    const name = this.claim(tensor.name!);
    this.initializers.push({ ...tensor, name });
    return name;
  }

  private nodeName(base: string, op: string): string {
    let name = this.nodeNames.has(base) ? `${base}/${op}` : base;
    for (let k = 1; this.nodeNames.has(name); k++) name = `${base}/${op}_${k}`;
    this.nodeNames.add(name);
    return name;
  }
}
