import type { AnomalyWatch } from './anomaly.js';
import type { Module } from './module.js';
import { walkModules } from './io/module-tree.js';

/**
 * Turns anomaly detection on for every module of `root`'s tree, reporting steps from `watch` (an optimizer's t + 1,
 * a Trainer's batch count); `null` turns it off there again, for the modules that still carry `previous`.
 */
export function watchAnomalies(root: Module, watch: AnomalyWatch | null, previous: AnomalyWatch | null = null): void {
  for (const { mod } of walkModules(root, '')) {
    if (watch !== null || mod.anomalyWatch === previous) mod.anomalyWatch = watch;
  }
}
