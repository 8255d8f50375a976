import type { DnnEngine } from '../../../engine/dnn-engine.js';
import type { Tf } from '../tfjs-loader.js';
import { convPoolOps } from './conv-pool.js';
import { tensorOps } from './tensor-ops.js';

export function tfjsDnn(tf: Tf): DnnEngine {
  return { ...convPoolOps(tf), ...tensorOps(tf) };
}
