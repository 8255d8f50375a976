import { activeEngine, contiguousRefs, requireFloat, requireSameSize } from './checks.js';
import type { ActivationKind, ArrayRef, OptimizerRule } from './engine/engine.js';
import { BackendError } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { empty } from './gpuarray/gpuarray.js';

export type { ActivationKind };

function outFor(x: GPUArray, out?: GPUArray): GPUArray {
  return out ?? empty(x.shape, x.dtype);
}

function checked(op: string, arrays: GPUArray[]): ArrayRef[] {
  requireFloat(op, ...arrays);
  requireSameSize(op, ...arrays);
  return contiguousRefs(op, ...arrays);
}

/** Forward activation: out = f(x), with PuzzleLib's scalar arguments (leakyRelu/elu slope a, clip range [a, b]). */
export function activation(fn: ActivationKind, x: GPUArray, opts: { out?: GPUArray; a?: number; b?: number } = {}): GPUArray {
  const out = outFor(x, opts.out);
  const [o, xr] = checked(`kernels.${fn}`, [out, x]);
  activeEngine().elementwise({ kind: 'activation', fn, out: o!, x: xr!, a: opts.a ?? 0, b: opts.b ?? 0 });
  return out;
}

/** Activation backward: `y` is the forward output (the forward input for gelu). */
export function activationGrad(
  fn: ActivationKind,
  grad: GPUArray,
  y: GPUArray,
  opts: { out?: GPUArray; a?: number; b?: number } = {},
): GPUArray {
  const out = outFor(grad, opts.out);
  const [o, g, yr] = checked(`kernels.${fn}Der`, [out, grad, y]);
  activeEngine().elementwise({ kind: 'activationGrad', fn, out: o!, grad: g!, y: yr!, a: opts.a ?? 0, b: opts.b ?? 0 });
  return out;
}

/** out = a·x + b */
export function linear(x: GPUArray, a: number, b: number, out?: GPUArray): GPUArray {
  const result = outFor(x, out);
  const [o, xr] = checked('kernels.linear', [result, x]);
  activeEngine().elementwise({ kind: 'linear', out: o!, x: xr!, a, b });
  return result;
}

/** out = alpha·x + beta·y */
export function add(x: GPUArray, alpha: number, y: GPUArray, beta: number, out?: GPUArray): GPUArray {
  const result = outFor(x, out);
  const [o, xr, yr] = checked('kernels.add', [result, x, y]);
  activeEngine().elementwise({ kind: 'add', out: o!, x: xr!, alpha, y: yr!, beta });
  return result;
}

/** out = x·y */
export function mul(x: GPUArray, y: GPUArray, out?: GPUArray): GPUArray {
  const result = outFor(x, out);
  const [o, xr, yr] = checked('kernels.mul', [result, x, y]);
  activeEngine().elementwise({ kind: 'mul', out: o!, x: xr!, y: yr! });
  return result;
}

export function abs(x: GPUArray, out?: GPUArray): GPUArray {
  const result = outFor(x, out);
  const [o, xr] = checked('kernels.abs', [result, x]);
  activeEngine().elementwise({ kind: 'abs', out: o!, x: xr! });
  return result;
}

/** out = x·[u < p]/p with `uniform` holding one draw per `mapsize` elements (Dropout2D uses one per map). */
export function dropout(x: GPUArray, uniform: GPUArray, p: number, opts: { out?: GPUArray; mapsize?: number } = {}): GPUArray {
  const op = 'kernels.dropout';
  const mapsize = opts.mapsize ?? 1;
  if (!(p > 0 && p <= 1)) throw new BackendError(op, `keep probability must be in (0, 1], got ${p}`);
  if (uniform.dtype !== 'float32' || uniform.size * mapsize !== x.size) {
    throw new BackendError(op, `needs ${x.size / mapsize} float32 draws, got ${uniform.size} ${uniform.dtype}`);
  }
  const out = outFor(x, opts.out);
  const [o, xr] = checked(op, [out, x]);
  const [u] = contiguousRefs(op, uniform);
  activeEngine().elementwise({ kind: 'dropout', out: o!, x: xr!, uniform: u!, p, mapsize });
  return out;
}

/** grad −= rate·param, in place. */
export function weightDecay(grad: GPUArray, param: GPUArray, rate: number): GPUArray {
  const [g, p] = checked('kernels.weightDecay', [grad, param]);
  activeEngine().elementwise({ kind: 'weightDecay', grad: g!, param: p!, rate });
  return grad;
}

/** out = grad − a·sign(data), sign(0) = +1. */
export function l1Penalty(grad: GPUArray, data: GPUArray, a: number, out?: GPUArray): GPUArray {
  const result = outFor(grad, out);
  const [o, g, d] = checked('kernels.l1Penalty', [result, grad, data]);
  activeEngine().elementwise({ kind: 'l1Penalty', out: o!, grad: g!, data: d!, a });
  return result;
}

/** Fills a float32 array with uniform [low, high) samples. */
export function fillUniform(out: GPUArray, low = 0, high = 1, seed = randomSeed()): GPUArray {
  if (out.dtype !== 'float32') throw new BackendError('kernels.fillUniform', `needs float32, got ${out.dtype}`);
  activeEngine().fillRandom(contiguousRefs('kernels.fillUniform', out)[0]!, 'uniform', low, high, seed);
  return out;
}

/** Fills a float32 array with normal samples. */
export function fillNormal(out: GPUArray, mean = 0, std = 1, seed = randomSeed()): GPUArray {
  if (out.dtype !== 'float32') throw new BackendError('kernels.fillNormal', `needs float32, got ${out.dtype}`);
  activeEngine().fillRandom(contiguousRefs('kernels.fillNormal', out)[0]!, 'normal', mean, std, seed);
  return out;
}

function randomSeed(): number {
  return (Math.random() * 2 ** 32) >>> 0;
}

type ArraysOf<R> = { [K in keyof R]: R[K] extends ArrayRef ? GPUArray : R[K] };
export type OptimizerStep = { [K in OptimizerRule['kind']]: ArraysOf<Extract<OptimizerRule, { kind: K }>> }[OptimizerRule['kind']];

const FP32_STATE = new Set(['mg', 'ms', 'mem']);

/** One fused in-place optimizer kernel over whole arrays (a SharedArray's buffer in global mode). */
export function optimizerStep(step: OptimizerStep): void {
  const op = `kernels.${step.kind}`;
  const { param, grad } = step;
  requireFloat(op, param, grad);
  const refs: Record<string, unknown> = {};
  const fields = step as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value === 'object' && value !== null) {
      const a = value as GPUArray;
      const fp32State = (step.kind === 'adam' || step.kind === 'smorms3') && FP32_STATE.has(key);
      const wanted = fp32State ? 'float32' : param.dtype;
      if (a.dtype !== wanted) throw new BackendError(op, `${key} has dtype ${a.dtype}, expected ${wanted}`);
      if (a.size !== param.size) throw new BackendError(op, `${key} has ${a.size} elements, param has ${param.size}`);
      refs[key] = contiguousRefs(op, a)[0];
    } else {
      refs[key] = value;
    }
  }
  activeEngine().optimizerStep(refs as OptimizerRule);
}
