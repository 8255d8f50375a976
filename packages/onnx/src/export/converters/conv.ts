import { Conv1D, Conv2D, Deconv2D, type ConvLayer } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, onnxAxes, type ConverterEntry, type ModuleExport } from '../converter.js';

/**
 * Conv and ConvTranspose share Puzzle's weight layouts: (outmaps, inmaps/groups, k...) and (inmaps, outmaps/groups,
 * k...). 1-D layers hold their geometry and W in 2-D form with a unit first axis, which ONNX's 1-D Conv drops; the
 * bias (1, outmaps, 1, 1) is ONNX's B (outmaps).
 */
function convolution(op: 'Conv' | 'ConvTranspose') {
  return (mod: ConvLayer, e: ModuleExport): string => {
    const { size, stride, pad, dilation, postpad } = mod.geometry;
    const axes = (pair: readonly number[]) => onnxAxes(mod.spatialDims, pair);
    const W = mod.W.shape;
    const inputs = [e.x.name, e.param('W', mod.spatialDims === 1 ? [W[0]!, W[1]!, W[3]!] : W)];
    if (mod.useBias) inputs.push(e.param('b', [mod.outmaps]));
    const attrs = [
      attr.ints('kernel_shape', axes(size)),
      attr.ints('strides', axes(stride)),
      attr.ints('pads', [...axes(pad), ...axes(pad)]),
      attr.ints('dilations', axes(dilation)),
      attr.int('group', mod.groups),
    ];
    if (op === 'ConvTranspose') attrs.push(attr.ints('output_padding', axes(postpad)));
    return e.builder.op(op, inputs, e.name, attrs);
  };
}

export const CONV: ConverterEntry[] = [entry(Conv1D, convolution('Conv')), entry(Conv2D, convolution('Conv')), entry(Deconv2D, convolution('ConvTranspose'))];
