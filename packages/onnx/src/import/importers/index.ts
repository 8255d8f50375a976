import { ACTIVATION } from './activation.js';
import { COMBINE } from './combine.js';
import { CONV } from './conv.js';
import { DENSE } from './dense.js';
import type { Importer } from './importer.js';
import { MISC } from './misc.js';
import { NORM } from './norm.js';
import { POOL } from './pool.js';
import { SHAPE } from './shape.js';

/** Each ONNX op of the default domain importOnnx reads, with the module it becomes. */
export const IMPORTERS: Readonly<Record<string, Importer>> = { ...DENSE, ...CONV, ...POOL, ...NORM, ...ACTIVATION, ...SHAPE, ...COMBINE, ...MISC };

/** The ONNX ops importOnnx reads. */
export function importableOps(): string[] {
  return Object.keys(IMPORTERS).sort();
}
