import { getGlobalRng, HostArray, type DType } from '@puzzle/backend';
import { ModuleError } from './errors.js';

export type InitScheme = 'xavier_uniform' | 'xavier' | 'xavier_normal' | 'he' | 'gaussian' | 'uniform' | 'none';
export type FactorType = 'in' | 'out' | 'avg';

/** Fan-in and fan-out of a weight shape: (a, b) → (a, b); (out, in, k...) → (in·∏k, out·∏k). */
export function fans(shape: readonly number[], transpose = false): [number, number] {
  let ins: number;
  let outs: number;
  if (shape.length === 1) [ins, outs] = [shape[0]!, shape[0]!];
  else if (shape.length === 2) [ins, outs] = [shape[0]!, shape[1]!];
  else {
    const k = shape.slice(2).reduce((p, d) => p * d, 1);
    [ins, outs] = [shape[1]! * k, shape[0]! * k];
  }
  return transpose ? [outs, ins] : [ins, outs];
}

/**
 * Host weights drawn with PuzzleLib's schemes (default xavier_uniform on fan-in) from the backend's global
 * generator, so `seedGlobalRng` makes initialisation reproducible. Returns null for 'none'.
 */
export function createTensorWithScheme(
  scheme: InitScheme | [InitScheme, FactorType] | undefined,
  shape: readonly number[],
  opts: { wscale?: number; factorShape?: readonly number[]; factorTranspose?: boolean; dtype?: DType } = {},
): HostArray | null {
  const [name, factorType] = Array.isArray(scheme) ? scheme : [scheme ?? 'xavier_uniform', 'in' as FactorType];
  if (name === 'none') return null;
  const [ins, outs] = fans(opts.factorShape ?? shape, opts.factorTranspose);
  const factor = factorType === 'in' ? ins : factorType === 'out' ? outs : (ins + outs) / 2;
  const wscale = opts.wscale ?? 1.0;
  const rng = getGlobalRng();
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Float32Array(n);
  const uniform = (bound: number) => values.forEach((_, i) => (values[i] = bound * (2 * rng.uniform() - 1)));
  const normal = (std: number) => values.forEach((_, i) => (values[i] = std * rng.normal()));
  switch (name) {
    case 'xavier_uniform':
      uniform(Math.sqrt(3 / factor));
      break;
    case 'xavier':
    case 'xavier_normal':
      normal(Math.sqrt(1 / factor));
      break;
    case 'he':
      normal(Math.sqrt(2 / factor));
      break;
    case 'gaussian':
      normal(wscale);
      break;
    case 'uniform':
      uniform(wscale);
      break;
    default:
      throw new ModuleError(`unknown init scheme '${String(name)}'`);
  }
  return HostArray.from(values, { shape, dtype: opts.dtype ?? 'float32' });
}
