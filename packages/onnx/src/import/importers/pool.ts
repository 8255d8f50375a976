import { AvgPool1D, AvgPool2D, MaxPool1D, MaxPool2D, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import { explicitPads, perAxis, type Importer } from './importer.js';

/** The window of a 1-D or 2-D pooling node, in floor mode and without dilation as Puzzle's pools are. */
function window(n: NodeImport) {
  const size = n.attrs.ints('kernel_shape', null);
  if (size === null || (size.length !== 1 && size.length !== 2)) n.fail('only 1-D and 2-D pooling with a kernel_shape is supported');
  n.requireDefault('ceil_mode', 0);
  if (perAxis(n, 'dilations', size.length, 1).some((d) => d !== 1)) n.fail('dilated pooling is not supported');
  if ((n.node.output ?? []).length > 1 && n.node.output![1] !== '') n.fail('the Indices output is not supported');
  return { size, stride: perAxis(n, 'strides', size.length, 1), pad: explicitPads(n, size.length), name: n.name };
}

function maxPool(n: NodeImport): Module {
  n.requireDefault('storage_order', 0);
  const w = window(n);
  if (w.size.length === 1) return new MaxPool1D({ size: w.size[0]!, stride: w.stride[0]!, pad: w.pad[0]!, name: w.name });
  return new MaxPool2D({ size: w.size as [number, number], stride: w.stride as [number, number], pad: w.pad as [number, number], name: w.name });
}

/** count_include_pad (0 by default in ONNX) is Puzzle's includePad. */
function averagePool(n: NodeImport): Module {
  const w = window(n);
  const includePad = n.attrs.int('count_include_pad', 0) === 1;
  if (w.size.length === 1) return new AvgPool1D({ size: w.size[0]!, stride: w.stride[0]!, pad: w.pad[0]!, includePad, name: w.name });
  return new AvgPool2D({ size: w.size as [number, number], stride: w.stride as [number, number], pad: w.pad as [number, number], includePad, name: w.name });
}

export const POOL: Record<string, Importer> = { MaxPool: maxPool, AveragePool: averagePool };
