import { describeValue, gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import type { Data } from '@puzzle/modules';
import { HandlerError } from './handler-error.js';

/** Host samples: one array or a nested list of arrays sharing the leading (sample) dimension. */
export type HostData = HostArray | HostData[];

type Shaped = { readonly shape: readonly number[] };

function shapedLeaves(data: Data | HostData): Shaped[] {
  return Array.isArray(data) ? (data as (Data | HostData)[]).flatMap(shapedLeaves) : [data];
}

/**
 * Every array of `data` must be of `kind` (device data for train/validate/calc, host data for their *FromHost
 * forms): the other kind, or anything else, is a HandlerError naming it and the method to use instead.
 */
export function requireKind(data: unknown, kind: 'device' | 'host', what: string): void {
  const [wanted, other] = kind === 'device' ? [GPUArray, HostArray] : [HostArray, GPUArray];
  const bad = shapedLeaves(data as Data).find((leaf) => !(leaf instanceof wanted));
  if (bad === undefined) return;
  const instead = bad instanceof other ? SWITCH_HINTS[kind] : '';
  throw new HandlerError(`${what}: expects ${kind} data (${wanted.name}s), got ${describeValue(bad)}${instead}`);
}

const SWITCH_HINTS = {
  device: '; pass host data to the *FromHost method, or upload it with gpuarray.toGpu',
  host: '; pass device data to the method without FromHost',
};

/** The sample count, checking every array of the tree has the same leading dimension. */
export function sampleCount(data: Data | HostData, what: string): number {
  const leaves = shapedLeaves(data);
  const bad = leaves.find((leaf) => !(leaf instanceof GPUArray || leaf instanceof HostArray));
  if (bad !== undefined) throw new HandlerError(`${what}: expects arrays, got ${describeValue(bad)}`);
  const counts = leaves.map((a) => a.shape[0] ?? 0);
  if (counts.length === 0) throw new HandlerError(`${what}: no arrays given`);
  if (counts.some((c) => c !== counts[0])) throw new HandlerError(`${what}: arrays hold different sample counts (${counts.join(', ')})`);
  if (counts[0] === 0) throw new HandlerError(`${what}: there are no samples`);
  return counts[0]!;
}

/** Views of samples [start, end) of every device array (they share storage: dispose them, not the source). */
export function sliceDevice(data: Data, start: number, end: number): Data {
  if (data instanceof GPUArray) return data.slice([start, Math.min(end, data.shape[0]!)]);
  return data.map((d) => sliceDevice(d, start, end));
}

/** Uploads samples [start, end) of every host array. */
export function uploadHost(data: HostData, start: number, end: number): Data {
  if (data instanceof HostArray) {
    const n = data.shape[0]!;
    const stop = Math.min(end, n);
    const per = data.size / n;
    const rows = new HostArray(data.data.subarray(start * per, stop * per), [stop - start, ...data.shape.slice(1)], data.dtype);
    return gpuarray.toGpu(rows);
  }
  return data.map((d) => uploadHost(d, start, end));
}

/** The sample count of data and target, which must agree. */
export function pairedSampleCount(data: Data | HostData, target: Data | HostData, what: string): number {
  const n = sampleCount(data, `${what} data`);
  const m = sampleCount(target, `${what} target`);
  if (n !== m) throw new HandlerError(`${what}: data holds ${n} samples but target ${m}`);
  return n;
}
