import { BatchNorm, BatchNorm1D, BatchNorm2D, BatchNorm3D, InstanceNorm2D, type BatchNormND, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import { load, type Importer } from './importer.js';

/** Batch norm classes by the rank of their data: (N, C) per feature, then (N, C, L), (N, C, H, W), (N, C, D, H, W). */
const BY_RANK: Record<number, new (maps: number, opts: { epsilon: number; name: string }) => BatchNormND> = {
  2: BatchNorm,
  3: BatchNorm1D,
  4: BatchNorm2D,
  5: BatchNorm3D,
};

/** BatchNormalization in inference mode: scale, bias and the running mean and variance become the module's. */
function batchNormalization(n: NodeImport): Module {
  n.requireDefault('training_mode', 0);
  if ((n.node.output ?? []).filter((o) => o !== '').length > 1) n.fail('the running-statistics outputs (training mode) are not supported');
  const shape = n.shape(n.x);
  const cls = BY_RANK[shape.length];
  if (!cls) n.fail(`data of rank ${shape.length} is not supported (2 to 5)`);
  const mod = new cls(shape[1]!, { epsilon: n.attrs.float('epsilon', 1e-5), name: n.name });
  const params = mod.scale.shape;
  ['scale', 'bias', 'mean', 'var'].forEach((name, i) => load(mod, name, n.param(i + 1, params)));
  return mod;
}

function instanceNormalization(n: NodeImport): Module {
  const shape = n.shape(n.x);
  if (shape.length !== 4) n.fail(`only (N, C, H, W) data is supported, got rank ${shape.length}`);
  const mod = new InstanceNorm2D(shape[1]!, { epsilon: n.attrs.float('epsilon', 1e-5), name: n.name });
  load(mod, 'scale', n.param(1, mod.scale.shape));
  load(mod, 'bias', n.param(2, mod.bias.shape));
  return mod;
}

export const NORM: Record<string, Importer> = { BatchNormalization: batchNormalization, InstanceNormalization: instanceNormalization };
