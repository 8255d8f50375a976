import type { Module } from '@puzzle/modules';
import { OnnxError } from '../../onnx-error.js';
import { where, type ConverterEntry } from '../converter.js';
import { ACTIVATION } from './activation.js';
import { COMBINE } from './combine.js';
import { CONV } from './conv.js';
import { DENSE } from './dense.js';
import { MISC } from './misc.js';
import { NORM } from './norm.js';
import { POOL } from './pool.js';
import { SHAPE } from './shape.js';

const ENTRIES: readonly ConverterEntry[] = [...DENSE, ...CONV, ...POOL, ...NORM, ...ACTIVATION, ...SHAPE, ...COMBINE, ...MISC];
const BY_CLASS = new Map<unknown, ConverterEntry>(ENTRIES.map((e) => [e.cls, e]));

/** The leaf module classes exportOnnx converts (containers: Sequential, Parallel, Graph), by class name. */
export function exportableModules(): string[] {
  return ENTRIES.map((e) => e.cls.name).sort();
}

/** The converter of a module's exact class; any other class is an OnnxError naming the module and its path. */
export function converterFor(mod: Module, path: string): ConverterEntry {
  const found = BY_CLASS.get(mod.constructor);
  if (found) return found;
  throw new OnnxError(`${mod.describe()} at ${where(path)} cannot be exported: ONNX export supports ${exportableModules().join(', ')} and the containers Sequential, Parallel and Graph`);
}
