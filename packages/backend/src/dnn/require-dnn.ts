import { activeEngine } from '../checks.js';
import type { DnnEngine } from '../engine/dnn-engine.js';
import { BackendError } from '../errors.js';

/** The active engine's Dnn op `name`, or a BackendError saying the engine lacks it. */
export function dnnOp<K extends keyof DnnEngine>(op: string, name: K): NonNullable<DnnEngine[K]> {
  const engine = activeEngine();
  const fn = engine.dnn?.[name];
  if (!fn) throw new BackendError(op, `not implemented on the ${engine.name} engine`);
  return (fn as (...args: unknown[]) => unknown).bind(engine.dnn) as NonNullable<DnnEngine[K]>;
}
