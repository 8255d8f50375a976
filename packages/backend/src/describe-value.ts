import { fmtShape } from './errors.js';
import { GPUArray } from './gpuarray/gpu-array.js';
import { HostArray } from './host-array.js';

/**
 * A value as an error message should name it when it is not what an argument needs: `-1`, `'128' (a string)`,
 * `a HostArray (3, 4) float32`, `undefined`, `an array of 2`, `a Float32Array of 12`.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${value}' (a string)`;
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (value instanceof HostArray) return `a HostArray ${fmtShape(value.shape)} ${value.dtype}`;
  if (value instanceof GPUArray) return `a GPUArray ${fmtShape(value.shape)} ${value.dtype}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<number>).length ?? value.byteLength}`;
  if (typeof value === 'function') return 'a function';
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}

/** The hint for a host array where a device one is needed: the slip every newcomer makes once. */
export function uploadHint(value: unknown): string {
  return value instanceof HostArray ? ' (upload host data with gpuarray.toGpu(host))' : '';
}

/** The first value of `data` that is neither a GPUArray nor a list, or null when it is device data all through. */
export function findNonDevice(data: unknown): { bad: unknown } | null {
  if (data instanceof GPUArray) return null;
  if (!Array.isArray(data)) return { bad: data };
  for (const d of data) {
    const found = findNonDevice(d);
    if (found !== null) return found;
  }
  return null;
}
