import { fmtShape, gpuarray, type DType, type GPUArray, type SharedArray } from '@puzzle/backend';
import { Variable, type Module } from '@puzzle/modules';
import { OptimizerError } from './optimizer-error.js';

/** The flat buffers of global-state mode: one param and one grad SharedArray per dtype, and their flat Variables. */
export interface GlobalBuffers {
  params: Map<DType, SharedArray>;
  grads: Map<DType, SharedArray>;
  vars: Map<DType, Variable>;
  /** First names of the variables with a custom updater, which stay outside the buffers. */
  custom: string[];
}

/** Var-table entries ordered by their first name as a plain string comparison ("10.W" before "2.W"), as PuzzleLib. */
export function sortedEntries(table: Map<Variable, string[]>): [string[], Variable][] {
  const entries = [...table].map(([v, names]): [string[], Variable] => [names, v]);
  return entries.sort(([a], [b]) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** Every trainable variable must be a float array with a grad of its own shape. */
export function checkTrainable(owner: string, name: string, v: Variable): void {
  if (v.hasUpdater) return;
  if (v.data.dtype === 'int32') throw new OptimizerError(`${owner}: variable '${name}' is int32 ${fmtShape(v.data.shape)}; only float variables can be optimized`);
  const grad = v.grad;
  const same = grad !== null && grad.dtype === v.data.dtype && grad.ndim === v.data.ndim && grad.shape.every((d, i) => d === v.data.shape[i]);
  if (!same) {
    const got = grad === null ? 'no grad' : `grad ${fmtShape(grad.shape)} ${grad.dtype}`;
    throw new OptimizerError(`${owner}: variable '${name}' has ${got}, expected ${fmtShape(v.data.shape)} ${v.data.dtype}`);
  }
}

/**
 * Packs a module's variables into shared buffers (PuzzleLib Optimizer.setupGlobalState): registers each trainable
 * variable under its first name, builds the 16-byte aligned buffers (gaps zeroed), copies values and grads over,
 * rebinds every name of the variable in the module to a new Variable whose data and grad are views of the buffers,
 * and disposes the old arrays. Per-variable learnRate/momRate/wc are dropped, as upstream.
 */
export function buildGlobalBuffers(owner: string, module: Module, table: Map<Variable, string[]>): GlobalBuffers {
  const entries = sortedEntries(table);
  entries.forEach(([names, v]) => checkTrainable(owner, names[0]!, v));
  const trainable = entries.filter(([, v]) => !v.hasUpdater);
  const params = new Map<DType, SharedArray>();
  const grads = new Map<DType, SharedArray>();
  for (const [names, v] of trainable) {
    const dtype = v.data.dtype;
    if (!params.has(dtype)) {
      params.set(dtype, new gpuarray.SharedArray(dtype));
      grads.set(dtype, new gpuarray.SharedArray(dtype));
    }
    params.get(dtype)!.register(v.data.shape, dtype, names[0]!);
    grads.get(dtype)!.register(v.data.shape, dtype, names[0]!);
  }
  const vars = new Map<DType, Variable>();
  for (const [dtype, sa] of params) {
    const gradBuffer = grads.get(dtype)!.build();
    vars.set(dtype, new Variable(sa.build().ary, { grad: gradBuffer.ary }));
  }
  for (const [names, v] of trainable) rebind(module, names, v, params.get(v.data.dtype)!, grads.get(v.data.dtype)!);
  const custom = entries.filter(([, v]) => v.hasUpdater).map(([names]) => names[0]!);
  return { params, grads, vars, custom };
}

function rebind(module: Module, names: string[], old: Variable, params: SharedArray, grads: SharedArray): void {
  const data = params.get(names[0]!).set(old.data);
  const grad = grads.get(names[0]!).set(old.grad!);
  // Each new Variable holds its own view handles, so the module and the optimizer can be disposed independently.
  for (const name of names) module.setVar(name, new Variable(view(data), { grad: view(grad) }));
  old.dispose();
}

function view(a: GPUArray): GPUArray {
  return a.reshape([...a.shape]);
}
