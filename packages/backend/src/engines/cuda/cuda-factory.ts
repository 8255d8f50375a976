import type { EngineFactory, Probe } from '../../engine/registry.js';
import { BackendError } from '../../errors.js';
import { loadAddon } from './addon-loader.js';
import { CudaEngine, type CudaEngineOptions } from './cuda-engine.js';

let probed: Probe | null = null;

/**
 * Whether the cuda engine can run here, and why not: addon not built or stale, no driver, no device, no cuBLAS.
 * The first call loads the addon and asks the CUDA runtime (tens of ms); later calls return the cached answer.
 * Never throws.
 */
export function probeCuda(): Probe {
  if (probed) return probed;
  try {
    const load = loadAddon();
    if (!load.ok) return (probed = { ok: false, reason: load.reason });
    const native = load.addon.probe();
    probed = native.ok ? { ok: true } : { ok: false, reason: native.reason };
  } catch (err) {
    probed = { ok: false, reason: `cuda probe failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return probed;
}

/** A cuda engine with explicit options (the registry's create() takes them from the environment). */
export function createCudaEngine(options: CudaEngineOptions = {}): CudaEngine {
  const probe = probeCuda();
  if (!probe.ok) throw new BackendError('cuda', `engine unavailable: ${probe.reason}`);
  const load = loadAddon();
  if (!load.ok) throw new BackendError('cuda', load.reason);
  return new CudaEngine(load.addon, options);
}

export const cudaFactory: EngineFactory = {
  name: 'cuda',
  probe: probeCuda,
  create: () => createCudaEngine(),
};
