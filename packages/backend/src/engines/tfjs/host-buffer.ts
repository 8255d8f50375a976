import { typedView, type TypedArray } from '../../dtype.js';
import type { ArrayRef, DeviceBuffer } from '../../engine/engine.js';

/** The tfjs engine keeps array storage in host memory and hands views of it to tfjs ops. */
export class HostBuffer implements DeviceBuffer {
  readonly bytes: ArrayBuffer;

  constructor(readonly nbytes: number) {
    this.bytes = new ArrayBuffer(nbytes);
  }
}

export function bufferOf(ref: ArrayRef): HostBuffer {
  return ref.buffer as HostBuffer;
}

/** The typed array over a contiguous region. */
export function contiguousView(ref: ArrayRef): TypedArray {
  let n = 1;
  for (const d of ref.shape) n *= d;
  const itemBytes = ref.dtype === 'float16' ? 2 : 4;
  return typedView(ref.dtype, bufferOf(ref).bytes, ref.offset * itemBytes, n);
}

/** The typed array spanning the whole underlying buffer, for strided indexing from `ref.offset`. */
export function wholeView(ref: ArrayRef): TypedArray {
  const itemBytes = ref.dtype === 'float16' ? 2 : 4;
  return typedView(ref.dtype, bufferOf(ref).bytes, 0, bufferOf(ref).nbytes / itemBytes);
}

/** Calls `visit(flatIndexInStorage, i)` for every element of a strided region in C order. */
export function forEachStrided(ref: ArrayRef, visit: (storageIndex: number, i: number) => void): void {
  const { shape, strides } = ref;
  const ndim = shape.length;
  const size = shape.reduce((p, d) => p * d, 1);
  if (size === 0) return;
  const index = new Array<number>(ndim).fill(0);
  let pos = ref.offset;
  for (let i = 0; i < size; i++) {
    visit(pos, i);
    for (let axis = ndim - 1; axis >= 0; axis--) {
      index[axis]!++;
      pos += strides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      pos -= strides[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
}
