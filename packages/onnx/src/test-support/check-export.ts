import type { HostArray } from '@puzzle/backend';
import type { Module } from '@puzzle/modules';
import { liveBuffers } from '@puzzle/testing';
import { expect } from 'vitest';
import { exportOnnx, type ExportOptions } from '../export/export-onnx.js';
import { expectSameOutputs } from './compare.js';
import { runOnnx } from './onnx-runtime.js';
import { puzzleOutputs, randomizeParams } from './puzzle-run.js';

/**
 * Builds a net, randomises its parameters, exports it, and checks onnxruntime's outputs for `feeds` (a list when
 * the net takes several inputs) against Puzzle's eval-mode ones; the net is disposed and every device buffer freed.
 * Returns the largest relative error.
 */
export async function checkExport(make: () => Module, opts: ExportOptions, feeds: readonly HostArray[], what: string): Promise<number> {
  const before = liveBuffers();
  const net = make();
  try {
    randomizeParams(net, 11);
    const bytes = await exportOnnx(net, opts);
    const list = Array.isArray(opts.inputs) && opts.inputs.length > 1;
    return expectSameOutputs(await runOnnx(bytes, feeds), puzzleOutputs(net, feeds, list), what);
  } finally {
    net.dispose();
    expect(liveBuffers(), `${what}: live device buffers`).toBe(before);
  }
}
