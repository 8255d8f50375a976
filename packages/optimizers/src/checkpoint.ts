import { fmtShape, type GPUArray, type HostArray } from '@puzzle/backend';
import type { OptimizerState } from './hook.js';
import { OptimizerError } from './optimizer-error.js';

/**
 * An optimizer checkpoint in memory, laid out like PuzzleLib's HDF5 one: `attrs` are the datasets of the ".attrs"
 * group (t, learnRate and the hyper-parameters), `states` those of the ".states" group, keyed "<stateKey>.<entity>".
 */
export interface OptimizerCheckpoint {
  attrs: Record<string, number>;
  states: Record<string, HostArray>;
}

export function stateEntries(states: Map<string, OptimizerState>): Record<string, GPUArray> {
  const out: Record<string, GPUArray> = {};
  for (const [key, state] of states) for (const [entity, a] of Object.entries(state)) out[`${key}.${entity}`] = a;
  return out;
}

export function checkpointOf(attrs: Record<string, number>, states: Map<string, OptimizerState>): OptimizerCheckpoint {
  const host = Object.entries(stateEntries(states)).map(([name, a]) => [name, a.get()] as const);
  return { attrs: { ...attrs }, states: Object.fromEntries(host) };
}

/** Throws an OptimizerError naming the first attribute or state array of `ckpt` that the optimizer cannot take. */
export function checkRestorable(owner: string, ckpt: OptimizerCheckpoint, attrs: Set<string>, states: Map<string, OptimizerState>): void {
  const fail: (message: string) => never = (message) => {
    throw new OptimizerError(`${owner}: cannot load checkpoint: ${message}`);
  };
  for (const [name, value] of Object.entries(ckpt.attrs)) {
    if (!attrs.has(name)) fail(`unknown attribute '${name}' (expected ${[...attrs].join(', ')})`);
    if (typeof value !== 'number') fail(`attribute '${name}' is not a number`);
  }
  const targets = Object.entries(stateEntries(states));
  for (const [name, a] of targets) {
    const src = ckpt.states[name];
    if (!src) fail(`state '${name}' is missing`);
    const same = src.dtype === a.dtype && src.shape.length === a.ndim && src.shape.every((d, i) => d === a.shape[i]);
    if (!same) fail(`state '${name}' is ${fmtShape(src.shape)} ${src.dtype}, expected ${fmtShape(a.shape)} ${a.dtype}`);
  }
}

/** Validates the whole checkpoint against the optimizer first, then writes the state arrays. */
export function restoreCheckpoint(owner: string, ckpt: OptimizerCheckpoint, attrs: Set<string>, states: Map<string, OptimizerState>): void {
  checkRestorable(owner, ckpt, attrs, states);
  for (const [name, a] of Object.entries(stateEntries(states))) a.set(ckpt.states[name]!);
}
