import { describeArray, readScalarInt } from './h5-arrays.js';
import { getDataset, getGroup, readH5, type H5Group } from './h5-file.js';

export interface LayoutEntry {
  kind: 'group' | 'dataset';
  dtype?: string;
  shape?: number[];
  compressed?: boolean;
  /** Scalar integer datasets (links) carry their value. */
  value?: number;
}

function visit(group: H5Group, prefix: string, out: Record<string, LayoutEntry>): void {
  for (const name of group.keys()) {
    const path = prefix + name;
    const sub = getGroup(group, name);
    if (sub !== null) {
      out[path] = { kind: 'group' };
      visit(sub, `${path}/`, out);
      continue;
    }
    const dataset = getDataset(group, name)!;
    const stored = describeArray(dataset);
    const entry: LayoutEntry = { kind: 'dataset', dtype: stored.dtype, shape: stored.shape, compressed: dataset.filters.some((f) => f.name === 'deflate') };
    if (stored.shape.length === 0 && stored.dtype.startsWith('int')) entry.value = readScalarInt(dataset);
    out[path] = entry;
  }
}

/** Every group and dataset of an HDF5 file with dtype, shape, compression and link values: its layout. */
export function h5Layout(source: string | Uint8Array): Promise<Record<string, LayoutEntry>> {
  return readH5(source, (file) => {
    const out: Record<string, LayoutEntry> = {};
    visit(file, '', out);
    return out;
  });
}
