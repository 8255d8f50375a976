import { BackendError } from './errors.js';

export type DType = 'float32' | 'float16' | 'int32';

export type TypedArray = Float32Array<ArrayBufferLike> | Int32Array<ArrayBufferLike> | Uint16Array<ArrayBufferLike>;

export const DTYPES: readonly DType[] = ['float32', 'float16', 'int32'];

export function itemSize(dtype: DType): number {
  return dtype === 'float16' ? 2 : 4;
}

/** float16 is stored as raw IEEE half bits in a Uint16Array: Node 20 has no Float16Array. */
export function allocTyped(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float16':
      return new Uint16Array(length);
  }
}

export function typedView(dtype: DType, buffer: ArrayBuffer, byteOffset: number, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'float16':
      return new Uint16Array(buffer, byteOffset, length);
  }
}

export function checkDType(op: string, dtype: string): DType {
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new BackendError(op, `unsupported dtype '${dtype}' (expected one of ${DTYPES.join(', ')})`);
  }
  return dtype as DType;
}

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}
