import { OnnxError } from '../onnx-error.js';
import { AttributeType, type AttributeProto, type NodeProto } from './onnx-types.js';

/** Node attributes to write, each typed explicitly (an ONNX float 1.0 and int 1 are different attributes). */
export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  floats: (name: string, floats: readonly number[]): AttributeProto => ({ name, type: AttributeType.FLOATS, floats: [...floats] }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

/** Reads the attributes of one node, checking each one's type; `where` names the node in errors. */
export class Attributes {
  private readonly byName: Map<string, AttributeProto>;

  constructor(
    node: NodeProto,
    private readonly where: string,
  ) {
    this.byName = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, fallback: number): number {
    return this.typed(name, AttributeType.INT, (a) => a.i ?? 0) ?? fallback;
  }

  float(name: string, fallback: number): number {
    return this.typed(name, AttributeType.FLOAT, (a) => a.f ?? 0) ?? fallback;
  }

  ints(name: string, fallback: readonly number[] | null): number[] | null {
    return this.typed(name, AttributeType.INTS, (a) => [...(a.ints ?? [])]) ?? (fallback === null ? null : [...fallback]);
  }

  string(name: string, fallback: string): string {
    return this.typed(name, AttributeType.STRING, (a) => new TextDecoder().decode(a.s ?? new Uint8Array())) ?? fallback;
  }

  private typed<T>(name: string, type: number, read: (a: AttributeProto) => T): T | null {
    const a = this.byName.get(name);
    if (a === undefined) return null;
    if (a.type !== type) throw new OnnxError(`${this.where}: attribute '${name}' has type ${a.type ?? 'none'}, expected ${type}`);
    return read(a);
  }
}
