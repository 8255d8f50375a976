import { GPUArray, nonFiniteCount } from '@puzzle/backend';
import type { Data } from './data.js';
import { ModuleError } from './errors.js';
import { childrenOf } from './io/module-tree.js';
import type { Module } from './module.js';

/** Where an anomaly report takes its step number from: the training step in progress, counted from 1. */
export interface AnomalyWatch {
  step(): number;
}

export type AnomalyDirection = 'forward' | 'backward';

/** The first non-finite value (NaN or ±Inf) that anomaly detection found, and the module where it appeared. */
export class AnomalyError extends ModuleError {
  constructor(
    message: string,
    /** The module's describe() ("Linear '2'"). */
    readonly moduleName: string,
    readonly direction: AnomalyDirection,
    readonly step: number,
    /** Non-finite values among the arrays the module produced. */
    readonly count: number,
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

let steps = 0;
let globalWatch: AnomalyWatch | null = null;

/**
 * PyTorch's detect_anomaly for Puzzle: with it on, every module's forward output, and after its backward its input
 * gradient and parameter gradients, are counted for NaN and ±Inf on the device, and the first non-finite value stops
 * training with an AnomalyError naming the module, the direction and the step. Steps count optimizer updates since
 * it was turned on. Off by default; when off, a module call pays one field read and one comparison.
 */
export function setDetectAnomaly(on: boolean): void {
  steps = 0;
  globalWatch = on ? { step: () => steps + 1 } : null;
}

export function isDetectAnomalyEnabled(): boolean {
  return globalWatch !== null;
}

/** The process-wide watch of setDetectAnomaly, or null when it is off. */
export function globalAnomalyWatch(): AnomalyWatch | null {
  return globalWatch;
}

/** Optimizers call it after each update: the step number global reports name. */
export function noteTrainingStep(): void {
  if (globalWatch !== null) steps++;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Counts the non-finite values of what a module produced (`produced`); when there are any, finds where they came
 * from (`received`: the input or incoming gradient; `params`: the module's own variables) and throws.
 */
export function checkFinite(who: string, direction: AnomalyDirection, watch: AnomalyWatch, arrays: { produced: GPUArray[]; received: GPUArray[]; params: GPUArray[] }): void {
  const count = nonFiniteCount(arrays.produced);
  if (count === 0) return;
  const step = watch.step();
  const what = direction === 'forward' ? 'its output' : 'the gradients it computed';
  const fromInput = nonFiniteCount(arrays.received);
  const fromParams = fromInput > 0 ? 0 : nonFiniteCount(arrays.params);
  const origin = originOf(direction, fromInput, fromParams);
  throw new AnomalyError(`${who}: ${direction} at step ${step}: ${plural(count, 'non-finite value')} (NaN or ±Inf) in ${what}; ${origin}`, who, direction, step, count);
}

/** Where the non-finite values came from, as the end of the report. */
function originOf(direction: AnomalyDirection, fromInput: number, fromParams: number): string {
  const received = direction === 'forward' ? 'its input' : 'the gradient it received';
  if (fromInput > 0) return `${received} already held ${plural(fromInput, 'non-finite value')}, so they come from before it (the data, or an earlier module)`;
  if (fromParams > 0) return `its parameters hold ${plural(fromParams, 'non-finite value')} (an earlier update made them so)`;
  return `${received} and its parameters are finite, so they arise in this module`;
}

function arraysOf(data: Data | null): GPUArray[] {
  if (data === null) return [];
  return data instanceof GPUArray ? [data] : data.flatMap(arraysOf);
}

/**
 * The check after a module's forward (its output) or backward (its input gradient and parameter gradients), given
 * what it received; containers leave it to their children, which run it themselves.
 */
export function checkModuleFinite(mod: Module, direction: AnomalyDirection, watch: AnomalyWatch, received: Data): void {
  if (childrenOf(mod) !== null) return;
  const vars = Object.values(mod.vars);
  const produced = direction === 'forward' ? arraysOf(mod.data) : [...arraysOf(mod.grad), ...vars.flatMap((v) => (v.grad ? [v.grad] : []))];
  checkFinite(mod.describe(), direction, watch, { produced, received: arraysOf(received), params: vars.map((v) => v.data) });
}
