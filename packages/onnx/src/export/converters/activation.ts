import { Activation, Gelu, PRelu, SoftMax, type ActivationName } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, type ConverterEntry, type ModuleExport } from '../converter.js';

/** Each activation as its ONNX op; leakyRelu's slope and elu's alpha are the ops' alpha, clip's bounds Clip's inputs. */
const ACTIVATIONS: Record<ActivationName, (mod: Activation, e: ModuleExport) => string> = {
  sigmoid: (_, e) => e.builder.op('Sigmoid', [e.x.name], e.name),
  tanh: (_, e) => e.builder.op('Tanh', [e.x.name], e.name),
  relu: (_, e) => e.builder.op('Relu', [e.x.name], e.name),
  leakyRelu: (mod, e) => e.builder.op('LeakyRelu', [e.x.name], e.name, [attr.float('alpha', mod.args[0]!)]),
  elu: (mod, e) => e.builder.op('Elu', [e.x.name], e.name, [attr.float('alpha', mod.args[0]!)]),
  softPlus: (_, e) => e.builder.op('Softplus', [e.x.name], e.name),
  clip: (mod, e) => {
    const [low, high] = mod.args as [number, number];
    const bounds = [e.builder.scalar(`${e.name}/min`, low, e.dtype), e.builder.scalar(`${e.name}/max`, high, e.dtype)];
    return e.builder.op('Clip', [e.x.name, ...bounds], e.name);
  },
};

/** ONNX has Gelu (with the exact erf, as Puzzle's) from opset 20. */
function gelu(_mod: Gelu, e: ModuleExport): string {
  if (e.opset < 20) e.fail(`ONNX has Gelu from opset 20; export with opset: 20 or later (asked for ${e.opset})`);
  return e.builder.op('Gelu', [e.x.name], e.name);
}

/** PRelu's slopes (maps) broadcast over axis 1 of (N, maps, ...) data once shaped (maps, 1, ...). */
function prelu(mod: PRelu, e: ModuleExport): string {
  const dims = mod.sharedMaps ? [1] : [mod.maps, ...new Array<number>(e.x.shape.length - 2).fill(1)];
  return e.builder.op('PRelu', [e.x.name, e.param('slopes', dims)], e.name);
}

export const ACTIVATION: ConverterEntry[] = [
  entry(Activation, (mod, e) => ACTIVATIONS[mod.activation](mod, e)),
  entry(Gelu, gelu),
  // Softmax from opset 13 normalises one axis, Puzzle's axis 1, whatever the rank.
  entry(SoftMax, (_, e) => e.builder.op('Softmax', [e.x.name], e.name, [attr.int('axis', 1)])),
  entry(PRelu, prelu),
];
