import type { EngineFactory } from '../../engine/registry.js';
import { TfjsEngine } from './tfjs-engine.js';
import { loadTfjs } from './tfjs-loader.js';

export const tfjsFactory: EngineFactory = {
  name: 'tfjs',
  probe: () => ({ ok: true }),
  create: () => new TfjsEngine(loadTfjs()),
};
