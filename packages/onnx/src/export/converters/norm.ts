import { BatchNorm, BatchNorm1D, BatchNorm2D, BatchNorm3D, InstanceNorm2D, type BatchNormND } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, type ConverterEntry, type ModuleExport } from '../converter.js';

/**
 * Batch norm in eval mode: (x − mean)/√(var + ε)·scale + bias with the running statistics, per map (per feature for
 * BatchNorm on (N, size) data): ONNX's BatchNormalization in inference mode. Puzzle's (1, maps, 1, ...) parameters
 * are ONNX's (maps) vectors.
 */
function batchNorm(mod: BatchNormND, e: ModuleExport): string {
  const dims = [mod.maps];
  const inputs = ['scale', 'bias', 'mean', 'var'].map((p) => e.param(p, dims));
  return e.builder.op('BatchNormalization', [e.x.name, ...inputs], e.name, [attr.float('epsilon', mod.epsilon)]);
}

/** Instance norm: every (n, c) map normalised by its own mean and biased variance, then scaled and shifted per map. */
function instanceNorm(mod: InstanceNorm2D, e: ModuleExport): string {
  const dims = [mod.numOfMaps];
  const inputs = [e.x.name, e.param('scale', dims), e.param('bias', dims)];
  return e.builder.op('InstanceNormalization', inputs, e.name, [attr.float('epsilon', mod.epsilon)]);
}

export const NORM: ConverterEntry[] = [
  ...[BatchNorm, BatchNorm1D, BatchNorm2D, BatchNorm3D].map((cls) => entry(cls, batchNorm)),
  entry(InstanceNorm2D, instanceNorm),
];
