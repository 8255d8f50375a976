import { getDataset, readH5 } from './h5-file.js';

/** The parsed "blueprint" dataset of a checkpoint, or null when it was saved without one. */
export function readBlueprint(source: string | Uint8Array): Promise<unknown> {
  return readH5(source, (file) => {
    const dataset = getDataset(file, 'blueprint');
    if (dataset === null) return null;
    const value = dataset.value;
    return JSON.parse(String(Array.isArray(value) ? value[0] : value));
  });
}
