import type { EngineFactory } from '../../engine/registry.js';
import { BackendError } from '../../errors.js';

export const cudaFactory: EngineFactory = {
  name: 'cuda',
  probe: () => ({ ok: false, reason: 'native addon not built' }),
  create: () => {
    throw new BackendError('cuda', 'native addon not built');
  },
};
