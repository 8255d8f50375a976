import type { HostArray } from '@puzzle/backend';
import type { Module } from '@puzzle/modules';
import { liveBuffers } from '@puzzle/testing';
import { expect } from 'vitest';
import { exportOnnx, type ExportOptions } from '../export/export-onnx.js';
import { importOnnx } from '../import/import-onnx.js';
import { expectSameOutputs } from './compare.js';
import { puzzleOutputs, randomizeParams } from './puzzle-run.js';

/** Every variable and attribute of a net by its name in getVarTable (attributes under the module's path). */
function parameters(net: Module): Map<string, number[]> {
  const params = new Map<string, number[]>();
  for (const [v, names] of net.getVarTable()) params.set(names[0]!, Array.from(v.data.get().toFloat32()));
  const walk = (mod: Module, path: string): void => {
    for (const [name, a] of Object.entries(mod.attrs)) params.set(`${path}${name}`, Array.from(a.get().toFloat32()));
    const children = (mod as { modules?: Map<string, Module> }).modules;
    for (const [name, child] of children ?? []) walk(child, `${path}${name}.`);
  };
  walk(net, '');
  return params;
}

/**
 * Exports a net, imports the bytes, and checks that the imported net computes the same eval-mode outputs for `feeds`
 * and holds the same parameter values under the same names; both nets are disposed and every device buffer freed.
 * Returns the imported net's class name.
 */
export async function checkRoundTrip(make: () => Module, opts: ExportOptions, feeds: readonly HostArray[], what: string): Promise<string> {
  const before = liveBuffers();
  const net = make();
  randomizeParams(net, 7);
  const imported = importOnnx(await exportOnnx(net, opts));
  try {
    const list = Array.isArray(opts.inputs) && opts.inputs.length > 1;
    expectSameOutputs(puzzleOutputs(imported, feeds, list), puzzleOutputs(net, feeds, list), `${what} (imported)`);
    expect(parameters(imported), `${what}: parameters of the imported net`).toEqual(parameters(net));
    return imported.constructor.name;
  } finally {
    net.dispose();
    imported.dispose();
    expect(liveBuffers(), `${what}: live device buffers`).toBe(before);
  }
}
