import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ModuleError } from '../errors.js';
import { CheckpointError } from './checkpoint-error.js';
import { Linear } from '../linear.js';
import type { Module } from '../module.js';
import { Variable } from '../variable.js';
import { fixtureModel, randomize, Stats, Tree } from '../test-support/checkpoint-models.js';
import { h5Layout } from './h5-layout.js';
import { writeArray } from './h5-arrays.js';
import { writeH5Bytes } from './h5-file.js';

/** Every variable's and attribute's values, in table and tree order. */
function snapshot(mod: Module): number[][] {
  const values = [...mod.getVarTable().keys()].map((v) => Array.from(v.data.get().data));
  const visit = (m: Module): number[][] => [
    ...Object.values(m.attrs).map((a) => Array.from(a.get().data)),
    ...[...((m as { modules?: Map<string, Module> }).modules?.values() ?? [])].flatMap(visit),
  ];
  return [...values, ...visit(mod)];
}

describeEngines('Module save/load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a container tree through a file and through bytes, without leaking', async () => {
    const source = fixtureModel();
    randomize(source, 10);
    const path = join(dir, 'nested', 'model.hdf');
    await source.save(path);
    const bytes = await source.save();
    expect(bytes).toBeInstanceOf(Uint8Array);
    for (const input of [path, bytes]) {
      const target = fixtureModel();
      randomize(target, 99);
      const before = liveBuffers();
      await target.load(input);
      expect(liveBuffers()).toBe(before);
      expect(snapshot(target)).toEqual(snapshot(source));
      target.dispose();
    }
    expect(await readdir(join(dir, 'nested'))).toEqual(['model.hdf']);
    source.dispose();
  });

  it('stores a shared variable once, linked under each of its names', async () => {
    const a = new Linear(3, 3);
    const b = new Linear(3, 3);
    b.setVar('W', a.getVar('W'));
    const shared = new Tree([a, b], 'net');
    randomize(shared, 3);
    const layout = await h5Layout(await shared.save());
    expect(Object.keys(layout).filter((k) => k.startsWith('params/'))).toHaveLength(3);
    expect([layout['links/net.0.W']!.value, layout['links/net.1.W']!.value]).toEqual([0, 0]);
    expect(layout['links/net.1.b']!.value).toBe(2);
    expect(layout['attrs.net']).toEqual({ kind: 'group' });
    b.vars = {};
    shared.dispose();
  });

  it('leaves the model untouched and names the problem when shapes, names or dtypes disagree', async () => {
    const saved = new Tree([new Linear(4, 3), new Linear(3, 5)]);
    randomize(saved, 4);
    const bytes = await saved.save();
    // Same names, but the last layer is narrower: everything before it must stay as it was too.
    const target = new Tree([new Linear(4, 3), new Linear(3, 2)]);
    randomize(target, 5);
    const before = snapshot(target);
    await expect(target.load(bytes)).rejects.toThrow(ModuleError);
    await expect(target.load(bytes)).rejects.toThrow(/variable '1\.W' \(link '\.1\.W'\): the file holds shape \(3, 5\), the model has \(3, 2\)/);
    expect(snapshot(target)).toEqual(before);

    const renamed = new Tree([new Linear(4, 3, { name: 'first' })]);
    await expect(renamed.load(bytes)).rejects.toThrow(/variable 'first\.W': the file has no link '\.first\.W'/);
    const withAttr = new Tree([new Linear(4, 3), new Stats(2)]);
    await expect(withAttr.load(bytes)).rejects.toThrow(/attribute 'mean' of Stats '1': the file has no dataset '\.1\.mean'/);
    for (const m of [saved, target, renamed, withAttr]) m.dispose();
  });

  it('casts stored dtypes only when numpy would call it safe', async () => {
    const int16 = Int16Array.from({ length: 6 }, (_, i) => i * 1000 - 2500);
    const file = (dtype: 'float64' | 'int16') =>
      writeH5Bytes((f) => {
        const params = f.create_group('params');
        if (dtype === 'int16') params.create_dataset({ name: '0', data: int16, shape: [2, 3], dtype: '<h' });
        else params.create_dataset({ name: '0', data: new Float64Array(6).fill(0.5), shape: [2, 3], dtype: '<d' });
        writeArray(params, '1', HostArray.zeros([3]));
        const links = f.create_group('links');
        links.create_dataset({ name: '.W', data: BigInt64Array.of(0n), shape: [], dtype: '<q' });
        links.create_dataset({ name: '.b', data: BigInt64Array.of(1n), shape: [], dtype: '<q' });
      });
    const lin = new Linear(2, 3);
    await lin.load(await file('int16'));
    expect(lin.W.get().data).toEqual(Float32Array.from(int16));
    await expect(lin.load(await file('float64'))).rejects.toThrow(/the file holds float64, which does not cast safely to the model's float32/);
    expect(lin.W.get().data).toEqual(Float32Array.from(int16));
    lin.dispose();
  });

  it('rejects files that are not checkpoints', async () => {
    const lin = new Linear(2, 2);
    const W = lin.W.get().data;
    const junk = join(dir, 'junk.hdf');
    await writeFile(junk, 'not an hdf5 file at all');
    await expect(lin.load(junk)).rejects.toThrow(/^Linear: cannot load .*junk\.hdf: not an HDF5 file \(file signature not found\)$/);
    await expect(lin.load(new TextEncoder().encode('junk'))).rejects.toThrow(/^Linear: cannot load checkpoint bytes: not an HDF5 file/);
    await expect(lin.load(join(dir, 'missing.hdf'))).rejects.toThrow(CheckpointError);
    await expect(lin.load(await writeH5Bytes((f) => f.create_group('other')))).rejects.toThrow(/no 'params' and 'links' groups/);
    expect(lin.W.get().data).toEqual(W);
    lin.dispose();
  });

  it('writes atomically: a failed save leaves the previous file whole and no temp file behind', async () => {
    const lin = new Linear(3, 2);
    randomize(lin, 6);
    const path = join(dir, 'lin.hdf');
    await lin.save(path);
    const previous = await readFile(path);
    const half = new Variable(gpuarray.zeros([2], 'float16'));
    lin.setVar('extra', half);
    await expect(lin.save(path)).rejects.toThrow(/Linear save error: .*float16/);
    expect(await readFile(path)).toEqual(previous);
    expect(await readdir(dir)).toEqual(['lin.hdf']);
    lin.dispose();
  });
});
