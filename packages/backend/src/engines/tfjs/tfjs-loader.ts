import { createRequire } from 'node:module';
import type * as tfc from '@tensorflow/tfjs-core';

export type Tf = typeof tfc;

export interface LoadedTfjs {
  tf: Tf;
  /** 'tensorflow' when @tensorflow/tfjs-node-gpu is installed, else 'cpu'. */
  backend: string;
}

const require = createRequire(import.meta.url);
let loaded: LoadedTfjs | null = null;

/** Whether the optional peer @tensorflow/tfjs-node-gpu can be resolved from here. */
export function hasTfjsNodeGpu(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads tfjs-core through CommonJS so that tfjs-node-gpu, when present, registers its backend on the very same
 * instance; falls back to the pure-JS cpu backend.
 */
export function loadTfjs(): LoadedTfjs {
  if (loaded) return loaded;
  const tf = require('@tensorflow/tfjs-core') as Tf;
  require('@tensorflow/tfjs-backend-cpu');
  let backend = 'cpu';
  if (hasTfjsNodeGpu() && process.env['PUZZLE_TFJS_BACKEND'] !== 'cpu') {
    try {
      require('@tensorflow/tfjs-node-gpu');
      backend = 'tensorflow';
    } catch (err) {
      // Installed but unusable (libtensorflow missing or built for another CUDA): the cpu backend still works.
      process.stderr.write(`[puzzle] @tensorflow/tfjs-node-gpu failed to load, using the tfjs cpu backend: ${(err as Error).message}\n`);
    }
  }
  if (!tf.findBackend(backend) && !tf.findBackendFactory(backend)) backend = 'cpu';
  void tf.setBackend(backend);
  const active = tf.engine().backend as { firstUse?: boolean }; // initialises it: both factories are synchronous
  // The cpu backend would print an advert for tfjs-node on first use; the registry already says which engine runs.
  active.firstUse = false;
  loaded = { tf, backend: tf.getBackend() };
  return loaded;
}
