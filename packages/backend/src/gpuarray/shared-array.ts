import { checkDType, itemSize, type DType } from '../dtype.js';
import { BackendError, fmtShape } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import { GPUArray } from './gpu-array.js';

const ALIGN = 16;

interface Block {
  name: string;
  shape: number[];
  offset: number;
}

/**
 * One contiguous buffer holding named blocks, each starting on a 16-byte boundary (PuzzleLib's global optimizer
 * state). Gaps between blocks are zeroed so whole-buffer kernels see no garbage.
 */
export class SharedArray {
  readonly dtype: DType;
  private readonly blocks: Block[] = [];
  private views = new Map<string, GPUArray>();
  private whole: GPUArray | null = null;
  private totalElements = 0;

  constructor(dtype: DType = 'float32') {
    this.dtype = checkDType('SharedArray', dtype);
  }

  register(shape: readonly number[], dtype: DType, name: string): this {
    const op = 'SharedArray.register';
    if (this.whole) throw new BackendError(op, `'${name}' registered after build`);
    if (dtype !== this.dtype) throw new BackendError(op, `'${name}' has dtype ${dtype}, the buffer holds ${this.dtype}`);
    if (this.blocks.some((b) => b.name === name)) throw new BackendError(op, `name '${name}' is already registered`);
    const s = checkShape(op, shape);
    const elementsPerAlign = ALIGN / itemSize(dtype);
    const alignedElements = Math.ceil(sizeOf(s) / elementsPerAlign) * elementsPerAlign;
    this.blocks.push({ name, shape: s, offset: this.totalElements });
    this.totalElements += alignedElements;
    return this;
  }

  build(): this {
    if (this.whole) throw new BackendError('SharedArray.build', 'already built');
    this.whole = GPUArray.empty([this.totalElements], this.dtype).fill(0);
    for (const b of this.blocks) {
      const flat = this.whole.slice([b.offset, b.offset + sizeOf(b.shape)]);
      this.views.set(b.name, flat.reshape(b.shape));
      flat.dispose();
    }
    return this;
  }

  /** The view registered under `name`. */
  get(name: string): GPUArray {
    const v = this.views.get(name);
    if (!v) throw new BackendError('SharedArray.get', this.whole ? `no block named '${name}'` : 'not built yet');
    return v;
  }

  /** The whole flat buffer. */
  get ary(): GPUArray {
    if (!this.whole) throw new BackendError('SharedArray.ary', 'not built yet');
    return this.whole;
  }

  get names(): string[] {
    return this.blocks.map((b) => b.name);
  }

  /** Element offset of a block inside `ary`. */
  offsetOf(name: string): number {
    const b = this.blocks.find((x) => x.name === name);
    if (!b) throw new BackendError('SharedArray.offsetOf', `no block named '${name}'`);
    return b.offset;
  }

  dispose(): void {
    for (const v of this.views.values()) v.dispose();
    this.views.clear();
    this.whole?.dispose();
  }

  toString(): string {
    return `SharedArray(${this.dtype}, ${this.blocks.map((b) => `${b.name}${fmtShape(b.shape)}`).join(', ')})`;
  }
}
