import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CODES, INTERFACE_VERSION, type CudaAddon } from './cuda-addon.js';

export type AddonLoad = { ok: true; addon: CudaAddon; path: string } | { ok: false; reason: string };

const require = createRequire(import.meta.url);

/** Whether the cuda engine is the CUDA simulator (env PUZZLE_CUDA_SIM=1): our kernels and entries run on the CPU. */
export function simulatorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['PUZZLE_CUDA_SIM'] === '1';
}

/**
 * Where the addon is: env PUZZLE_CUDA_ADDON, else packages/backend/build/puzzle_cuda.node, or puzzle_cuda_sim.node
 * when the simulator is requested. This file sits at the same depth under src/ (vitest, tsx) and dist/ (the build),
 * so one relative path serves both.
 */
export function addonPath(simulator = simulatorRequested()): string {
  const explicit = process.env['PUZZLE_CUDA_ADDON'];
  if (explicit) return explicit;
  const file = simulator ? 'puzzle_cuda_sim.node' : 'puzzle_cuda.node';
  return fileURLToPath(new URL(`../../../build/${file}`, import.meta.url));
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The first way the addon's exported codes differ from ours, or null. */
function codeMismatch(addon: CudaAddon): string | null {
  for (const [table, entries] of Object.entries(CODES) as [string, Record<string, number>][]) {
    const theirs = (addon.codes as unknown as Record<string, Record<string, number>> | undefined)?.[table];
    for (const [name, code] of Object.entries(entries)) {
      if (theirs?.[name] !== code) return `${table}.${name} is ${String(theirs?.[name])}, expected ${code}`;
    }
  }
  return null;
}

/** Loads an addon file and checks it was built from these sources. Never throws. */
export function loadAddonFrom(path: string): AddonLoad {
  if (!existsSync(path)) {
    const how = path.endsWith('_sim.node') ? 'with g++' : 'where nvcc and the NVIDIA driver are installed';
    return { ok: false, reason: `native addon not built (no ${path}; run \`npm run build:native\` ${how})` };
  }
  let addon: CudaAddon;
  try {
    addon = require(path) as CudaAddon;
  } catch (err) {
    return { ok: false, reason: `native addon ${path} failed to load: ${describeError(err)}` };
  }
  const stale =
    addon.interfaceVersion !== INTERFACE_VERSION
      ? `interface version ${String(addon.interfaceVersion)}, expected ${INTERFACE_VERSION}`
      : codeMismatch(addon);
  if (stale) return { ok: false, reason: `native addon ${path} is stale (${stale}): rebuild it with \`npm run build:native\`` };
  return { ok: true, addon, path };
}

const loaded = new Map<string, AddonLoad>();

/** The addon at addonPath(), loaded once per process and path. */
export function loadAddon(): AddonLoad {
  const path = addonPath();
  let load = loaded.get(path);
  if (!load) loaded.set(path, (load = loadAddonFrom(path)));
  return load;
}
