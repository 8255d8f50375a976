import type { EngineFactory, Probe } from '../../engine/registry.js';
import { BackendError } from '../../errors.js';
import { addonPath, loadAddon } from './addon-loader.js';
import { CudaEngine, type CudaEngineOptions } from './cuda-engine.js';

const probed = new Map<string, Probe>();

/**
 * Whether the cuda engine can run here, and why not: addon not built or stale, no driver, no device, no cuBLAS.
 * With PUZZLE_CUDA_SIM=1 the engine is the CUDA simulator, which runs wherever its addon was built; its probe says
 * `simulator: true`, so that the automatic engine choice never takes it for a GPU. The first call loads the addon
 * and asks the CUDA runtime (tens of ms); later calls return the cached answer. Never throws.
 */
export function probeCuda(): Probe {
  const path = addonPath();
  const cached = probed.get(path);
  if (cached) return cached;
  let probe: Probe;
  try {
    const load = loadAddon();
    if (!load.ok) {
      probe = { ok: false, reason: load.reason };
    } else {
      const native = load.addon.probe();
      const simulator = load.addon.simulator !== undefined;
      probe = native.ok ? { ok: true, simulator } : { ok: false, reason: native.reason };
    }
  } catch (err) {
    probe = { ok: false, reason: `cuda probe failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  probed.set(path, probe);
  return probe;
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
