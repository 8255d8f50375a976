import { Conv1D, Conv2D, Deconv2D, type ConvLayer, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import { explicitPads, load, perAxis, type Importer } from './importer.js';

/** Geometry of a Conv or ConvTranspose node over the spatial axes of its weight. */
function geometry(n: NodeImport, axes: number) {
  const size = n.constant(1)!.dims.slice(2);
  const kernel = n.attrs.ints('kernel_shape', size)!;
  if (kernel.join(',') !== size.join(',')) n.fail(`kernel_shape [${kernel.join(', ')}] does not match the weight's [${size.join(', ')}]`);
  return { size, stride: perAxis(n, 'strides', axes, 1), pad: explicitPads(n, axes), dilation: perAxis(n, 'dilations', axes, 1), groups: n.attrs.int('group', 1) };
}

/** Loads W (as the layer stores it: a 1-D layer keeps a unit first spatial axis) and the bias (1, outmaps, 1, 1). */
function loadWeights(n: NodeImport, mod: ConvLayer): ConvLayer {
  load(mod, 'W', n.param(1, mod.W.shape));
  if (mod.useBias) load(mod, 'b', n.param(2, [1, mod.outmaps, 1, 1]));
  return mod;
}

/** Conv with a constant 3-D or 4-D weight (outmaps, inmaps/groups, k...): Conv1D or Conv2D. */
function conv(n: NodeImport): Module {
  const W = n.constant(1)!.dims;
  if (W.length !== 3 && W.length !== 4) n.fail(`only 1-D and 2-D convolutions are supported, the weight has dims [${W.join(', ')}]`);
  const g = geometry(n, W.length - 2);
  const opts = { groups: g.groups, useBias: n.input(2) !== null, empty: true, name: n.name };
  const [inmaps, outmaps] = [W[1]! * g.groups, W[0]!];
  const mod =
    W.length === 3
      ? new Conv1D(inmaps, outmaps, g.size[0]!, { ...opts, stride: g.stride[0]!, pad: g.pad[0]!, dilation: g.dilation[0]! })
      : new Conv2D(inmaps, outmaps, g.size as [number, number], { ...opts, stride: g.stride as [number, number], pad: g.pad as [number, number], dilation: g.dilation as [number, number] });
  return loadWeights(n, mod);
}

/** ConvTranspose with a constant 4-D weight (inmaps, outmaps/groups, kh, kw): Deconv2D, output_padding its postpad. */
function convTranspose(n: NodeImport): Module {
  const W = n.constant(1)!.dims;
  if (W.length !== 4) n.fail(`only 2-D transposed convolutions are supported, the weight has dims [${W.join(', ')}]`);
  if (n.attrs.has('output_shape')) n.fail('output_shape is not supported (give pads and output_padding)');
  const g = geometry(n, 2);
  const postpad = perAxis(n, 'output_padding', 2, 0) as [number, number];
  const [stride, pad, dilation] = [g.stride, g.pad, g.dilation] as [number, number][];
  const opts = { stride, pad, dilation, postpad, groups: g.groups, useBias: n.input(2) !== null, empty: true, name: n.name };
  return loadWeights(n, new Deconv2D(W[0]!, W[1]! * g.groups, g.size as [number, number], opts));
}

export const CONV: Record<string, Importer> = { Conv: conv, ConvTranspose: convTranspose };
