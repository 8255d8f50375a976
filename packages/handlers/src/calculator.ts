import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import type { Data, Module } from '@puzzle/modules';
import { sampleCount, type HostData } from './batching.js';
import { Handler, type HandlerOptions, type HostPassOptions } from './handler.js';

interface CalcState {
  devSize: number;
  devData?: Data;
  hostSize?: number;
  hostData?: HostData;
}

/** Runs a module in eval mode over all samples, in order, and gathers its outputs (nested outputs included). */
export class Calculator extends Handler<CalcState> {
  constructor(mod: Module, opts: HandlerOptions<Calculator> = {}) {
    super(mod, opts as HandlerOptions<Handler<CalcState>>);
  }

  /** Device outputs for device data; the caller owns (and disposes) them. */
  calc(data: Data): Data {
    const state: CalcState = { devSize: sampleCount(data, 'Calculator') };
    this.module.evalMode();
    this.handle(data, state, false);
    return state.devData!;
  }

  /** Host outputs for host data, computed one uploaded macro-batch at a time. */
  calcFromHost(data: HostData, opts: Omit<HostPassOptions<this>, 'random'> = {}): HostData {
    const state: CalcState = { devSize: 0, hostSize: sampleCount(data, 'Calculator') };
    this.module.evalMode();
    this.handleFromHost(data, state, { ...opts, random: false });
    return state.hostData!;
  }

  protected override onMacroBatchStart(idx: number, macroBatchSize: number, state: CalcState): void {
    // The last macro-batch may be short (PuzzleLib sizes it as a full one and then fails to copy it back).
    state.devSize = Math.min(macroBatchSize, state.hostSize! - idx * macroBatchSize);
  }

  protected override onMacroBatchFinish(idx: number, macroBatchSize: number, state: CalcState): void {
    const dev = state.devData!;
    state.hostData ??= toHostTree(dev, (d) => HostArray.zeros([state.hostSize!, ...d.shape.slice(1)], d.dtype));
    eachPair(dev, state.hostData, (d, h) => {
      (h as HostArray).data.set(d.get().data, idx * macroBatchSize * (d.size / d.shape[0]!));
      d.dispose();
    });
    delete state.devData;
  }

  protected handleBatch(batch: Data, idx: number, state: CalcState): void {
    const out = this.module.call(batch);
    state.devData ??= toDeviceTree(out, (d) => gpuarray.empty([state.devSize, ...d.shape.slice(1)], d.dtype));
    eachPair(out, state.devData, (o, d) => {
      const rows = (d as GPUArray).slice([idx * this.batchsize, idx * this.batchsize + o.shape[0]!]);
      rows.set(o);
      rows.dispose();
    });
  }
}

function toDeviceTree(data: Data, f: (a: GPUArray) => GPUArray): Data {
  return data instanceof GPUArray ? f(data) : data.map((d) => toDeviceTree(d, f));
}

function toHostTree(data: Data, f: (a: GPUArray) => HostArray): HostData {
  return data instanceof GPUArray ? f(data) : data.map((d) => toHostTree(d, f));
}

/** Calls f on each array of `data` with the array at the same place of `other` (a tree of the same structure). */
function eachPair(data: Data, other: Data | HostData, f: (a: GPUArray, b: GPUArray | HostArray) => void): void {
  if (data instanceof GPUArray) f(data, other as GPUArray | HostArray);
  else data.forEach((d, i) => eachPair(d, (other as (Data | HostData)[])[i]!, f));
}
