import { Cast, Dropout, Dropout2D, Identity, MulAddConst, Pad1D, Pad2D, Upsample2D, type PadND } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { onnxType } from '../../proto/tensors.js';
import { entry, type ConverterEntry, type ModuleExport } from '../converter.js';
import { isValue, type Flow, type Names } from '../values.js';

/** Identity passes anything through, a list too: one ONNX Identity per array. */
function identity(_mod: Identity, e: ModuleExport): Names {
  const each = (flow: Flow): Names => (isValue(flow) ? e.builder.op('Identity', [flow.name], e.name) : flow.map(each));
  return each(e.input);
}

/** Dropout is the identity at inference: ONNX's Dropout without training_mode, keeping the drop ratio. */
function dropout(mod: Dropout, e: ModuleExport): string {
  return e.builder.op('Dropout', [e.x.name, e.builder.scalar(`${e.name}/ratio`, mod.p, 'float32')], e.name);
}

/** y = a·x + b, leaving out a factor of 1 and a term of 0. */
function mulAddConst(mod: MulAddConst, e: ModuleExport): string {
  let x = e.x.name;
  if (mod.a !== 1) x = e.builder.op('Mul', [x, e.builder.scalar(`${e.name}/a`, mod.a, e.dtype)], e.name);
  if (mod.b !== 0) x = e.builder.op('Add', [x, e.builder.scalar(`${e.name}/b`, mod.b, e.dtype)], e.name);
  return x === e.x.name ? e.builder.op('Identity', [x], e.name) : x;
}

/** Constant padding with the fill value, or numpy's 'reflect' (the edge not repeated), which is ONNX's too. */
function pad(mod: PadND & { pad: readonly number[] }, e: ModuleExport): string {
  const pairs = mod instanceof Pad1D ? [mod.pad] : [mod.pad.slice(0, 2), mod.pad.slice(2)];
  const pads = [0, 0, ...pairs.map((p) => p[0]!), 0, 0, ...pairs.map((p) => p[1]!)];
  const inputs = [e.x.name, e.builder.int64s(`${e.name}/pads`, pads)];
  if (mod.mode === 'constant') inputs.push(e.builder.scalar(`${e.name}/value`, mod.fillValue, e.dtype));
  return e.builder.op('Pad', inputs, e.name, [attr.string('mode', mod.mode)]);
}

/**
 * Upsample2D by integer scales: 'nearest' copies cell ⌊o/s⌋ (Resize nearest, asymmetric, floor); 'linear' is
 * bilinear at the align-corners source position (Resize linear, align_corners).
 */
function upsample(mod: Upsample2D, e: ModuleExport): string {
  const scales = e.builder.floats(`${e.name}/scales`, [1, 1, ...mod.scale]);
  const attrs =
    mod.mode === 'nearest'
      ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
      : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'align_corners')];
  return e.builder.op('Resize', [e.x.name, '', scales], e.name, attrs);
}

export const MISC: ConverterEntry[] = [
  entry(Identity, identity),
  ...[Dropout, Dropout2D].map((cls) => entry(cls, dropout)),
  entry(MulAddConst, mulAddConst),
  entry(Cast, (mod, e) => e.builder.op('Cast', [e.x.name], e.name, [attr.int('to', onnxType(mod.outtype))]), (mod) => mod.outtype),
  ...[Pad1D, Pad2D].map((cls) => entry(cls, pad)),
  entry(Upsample2D, upsample),
];
