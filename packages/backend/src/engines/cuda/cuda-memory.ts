import { allocTyped, itemSize, type TypedArray } from '../../dtype.js';
import type { ArrayRef } from '../../engine/engine.js';
import { toHalfBits } from '../../float16.js';
import { isContiguous } from '../../shape.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf, type CudaBuffer } from './cuda-buffer.js';

/** [ndim, ...shape, ...strides] for a strided region; null when contiguous (the addon then does one memcpy). */
function hostTransferLayout(ref: ArrayRef): Float64Array | null {
  if (isContiguous(ref.shape, ref.strides)) return null;
  const ndim = ref.shape.length;
  const layout = new Float64Array(1 + 2 * ndim);
  layout[0] = ndim;
  layout.set(ref.shape, 1);
  layout.set(ref.strides, 1 + ndim);
  return layout;
}

/** [ndim, ...shape, ...dstStrides, ...srcStrides]: the addon merges axes, so contiguous pairs become one memcpy. */
function copyLayout(dst: ArrayRef, src: ArrayRef): Float64Array {
  const ndim = dst.shape.length;
  const layout = new Float64Array(1 + 3 * ndim);
  layout[0] = ndim;
  layout.set(dst.shape, 1);
  layout.set(dst.strides, 1 + ndim);
  layout.set(src.strides, 1 + 2 * ndim);
  return layout;
}

export function write(addon: CudaAddon, dst: ArrayRef, src: TypedArray): void {
  addon.write(addressOf(dst), itemSize(dst.dtype), hostTransferLayout(dst), src);
}

export function read(addon: CudaAddon, src: ArrayRef): TypedArray {
  const out = allocTyped(src.dtype, countOf(src));
  addon.read(addressOf(src), itemSize(src.dtype), hostTransferLayout(src), out);
  return out;
}

/** The copy is enqueued before this returns, so launches made afterwards cannot change what it reads. */
export function readAsync(addon: CudaAddon, src: ArrayRef): Promise<TypedArray> {
  const out = allocTyped(src.dtype, countOf(src));
  return addon.readAsync(addressOf(src), itemSize(src.dtype), hostTransferLayout(src), out);
}

export function copy(addon: CudaAddon, dst: ArrayRef, src: ArrayRef): void {
  addon.copy(addressOf(dst), addressOf(src), itemSize(dst.dtype), copyLayout(dst, src));
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** The element's bit pattern for `value`, converted as the tfjs engine stores it (float16 rounded, int32 truncated). */
function fillBits(ref: ArrayRef, value: number): number {
  switch (ref.dtype) {
    case 'float32':
      f32[0] = value;
      return f32Bits[0]!;
    case 'float16':
      return toHalfBits(value);
    case 'int32':
      return Math.trunc(value) >>> 0;
  }
}

/** Every byte 0xff, as the simulator fills fresh allocations: NaN in each float format, −1 as an integer. */
export function poison(addon: CudaAddon, buffer: CudaBuffer): void {
  const wholeWords = buffer.nbytes % 4 === 0;
  const itemBytes = wholeWords ? 4 : buffer.nbytes % 2 === 0 ? 2 : 0;
  if (itemBytes === 0) return; // odd sizes hold no float16 or float32 element to mislead
  addon.fill(buffer.address, buffer.nbytes / itemBytes, itemBytes, wholeWords ? 0xffffffff : 0xffff);
}

export function fill(addon: CudaAddon, dst: ArrayRef, value: number): void {
  addon.fill(addressOf(dst), countOf(dst), itemSize(dst.dtype), fillBits(dst, value));
}

export function cast(addon: CudaAddon, dst: ArrayRef, src: ArrayRef): void {
  addon.cast(addressOf(dst), CODES.dtype[dst.dtype], addressOf(src), CODES.dtype[src.dtype], countOf(dst));
}
