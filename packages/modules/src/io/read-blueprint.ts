import { verifiedValue } from './checksums.js';
import { getDataset, readH5 } from './h5-file.js';
import { checkpointFailure } from './io-cause.js';

/** The parsed "blueprint" dataset of a checkpoint, or null when it was saved without one. */
export async function readBlueprint(source: string | Uint8Array): Promise<unknown> {
  try {
    return await readH5(source, (file) => {
      const dataset = getDataset(file, 'blueprint');
      if (dataset === null) return null;
      const value = verifiedValue(dataset);
      return JSON.parse(String(Array.isArray(value) ? value[0] : value));
    });
  } catch (e) {
    throw checkpointFailure('readBlueprint', 'read', typeof source === 'string' ? source : null, e) ?? e;
  }
}
