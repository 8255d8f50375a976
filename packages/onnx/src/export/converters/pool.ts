import { AvgPool1D, AvgPool2D, MaxPool1D, MaxPool2D, type Pool2D } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, onnxAxes, type ConverterEntry, type ModuleExport } from '../converter.js';

/**
 * Pooling with Puzzle's window: output sizes are floored (ceil_mode 0), max pooling never picks padding, and average
 * pooling divides by the whole window (count_include_pad) unless built with includePad: false. 1-D pools hold a
 * 2-D window with a unit first axis, which ONNX's 1-D pool drops.
 */
function pool(mod: Pool2D, e: ModuleExport): string {
  const axes = (pair: readonly number[]) => onnxAxes(mod.spatialDims, pair);
  const { size, stride, pad } = mod.geometry;
  const attrs = [attr.ints('kernel_shape', axes(size)), attr.ints('strides', axes(stride)), attr.ints('pads', [...axes(pad), ...axes(pad)])];
  if (mod.mode === 'max') return e.builder.op('MaxPool', [e.x.name], e.name, attrs);
  attrs.push(attr.int('count_include_pad', mod.mode === 'avgWithPad' ? 1 : 0));
  return e.builder.op('AveragePool', [e.x.name], e.name, attrs);
}

export const POOL: ConverterEntry[] = [MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D].map((cls) => entry(cls, pool));
