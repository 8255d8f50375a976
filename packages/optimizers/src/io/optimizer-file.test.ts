import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { Activation, h5Layout, Linear, writeArray, writeH5Bytes, type Module } from '@puzzle/modules';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { NesterovSGD } from '../nesterov-sgd.js';
import type { Optimizer } from '../optimizer.js';
import { OptimizerError } from '../optimizer-error.js';
import { globalStateKey } from '../optimizer.js';
import { loadOptimizer, saveOptimizer } from './optimizer-file.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url));

/** The fixture generator's state values: cos(0.11·k + seed) over the flat index, rounded to float32. */
const stateValues = (n: number, seed: number) => Float32Array.from({ length: n }, (_, k) => Math.cos(0.11 * k + seed));

/** The model of modules/test-fixtures/sequential.hdf, without its parameterless leaves. */
const fixtureModel = () => new Sequential().append(new Linear(4, 3)).append(new Activation('relu')).append(new Sequential().append(new Linear(3, 2)));

function randomizeState(opt: Optimizer, seed: number): void {
  Object.values(opt.stateDict()).forEach((a, i) => a.set(HostArray.randn([...a.shape], { seed: seed + i })));
}

const stateValuesOf = (opt: Optimizer) => Object.fromEntries(Object.entries(opt.stateDict()).map(([k, a]) => [k, Array.from(a.get().data)]));

describeEngines('Optimizer save/load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a local-state NesterovSGD checkpoint written in PuzzleLib layout', async () => {
    const lin = new Linear(4, 3);
    const opt = new NesterovSGD();
    opt.setupOn(lin);
    await opt.load(fixture('nesterov-local.hdf'));
    expect([opt.t, opt.learnRate, opt.momRate]).toEqual([7, 0.01, 0.9]);
    expect(opt.stateDict()['W.mom']!.get().data).toEqual(stateValues(12, 1));
    expect(opt.stateDict()['b.mom']!.get().data).toEqual(stateValues(3, 2));
    opt.dispose();
    lin.dispose();
  });

  it('loads a global-state Adam checkpoint and writes exactly its layout back', async () => {
    const seq = fixtureModel();
    const opt = new Adam();
    opt.setupOn(seq, { useGlobalState: true });
    await opt.load(fixture('adam-global.hdf'));
    const key = globalStateKey('float32');
    expect(opt.t).toBe(3);
    expect(opt.learnRate).toBeCloseTo((1e-3 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3), 15);
    expect(opt.stateDict()[`${key}.mg`]!.get().data).toEqual(stateValues(28, 3));
    expect(opt.stateDict()[`${key}.ms`]!.get().data).toEqual(stateValues(28, 4).map((v) => v * v));
    expect(await h5Layout((await saveOptimizer(opt)) as Uint8Array)).toEqual(await h5Layout(fixture('adam-global.hdf')));
    const lin = new Linear(4, 3);
    const nesterov = new NesterovSGD();
    nesterov.setupOn(lin);
    await nesterov.load(fixture('nesterov-local.hdf'));
    expect(await h5Layout((await saveOptimizer(nesterov)) as Uint8Array)).toEqual(await h5Layout(fixture('nesterov-local.hdf')));
    for (const d of [opt, seq, nesterov, lin]) d.dispose();
  });

  it('round-trips through a file and bytes into a fresh optimizer, without leaking', async () => {
    const make = (): [Module, Adam] => {
      const seq = fixtureModel();
      const opt = new Adam({ alpha: 0.01 });
      opt.setupOn(seq, { useGlobalState: true });
      return [seq, opt];
    };
    const [seq, opt] = make();
    randomizeState(opt, 1);
    opt.t = 12;
    const path = join(dir, 'sub', 'adam.hdf');
    await opt.save(path);
    for (const source of [path, (await saveOptimizer(opt)) as Uint8Array]) {
      const [seq2, opt2] = make();
      const before = liveBuffers();
      await loadOptimizer(opt2, source);
      expect(liveBuffers()).toBe(before);
      expect([opt2.t, opt2.alpha]).toEqual([12, 0.01]);
      expect(stateValuesOf(opt2)).toEqual(stateValuesOf(opt));
      opt2.dispose();
      seq2.dispose();
    }
    expect(await readdir(join(dir, 'sub'))).toEqual(['adam.hdf']);
    opt.dispose();
    seq.dispose();
  });

  it('leaves the optimizer unchanged when the checkpoint does not fit', async () => {
    const lin = new Linear(4, 3);
    const opt = new NesterovSGD();
    opt.setupOn(lin);
    randomizeState(opt, 5);
    const before = stateValuesOf(opt);
    const wider = new Linear(4, 5);
    const other = new NesterovSGD();
    other.setupOn(wider);
    const bytes = (await saveOptimizer(other)) as Uint8Array;
    await expect(opt.load(bytes)).rejects.toThrow(OptimizerError);
    await expect(opt.load(bytes)).rejects.toThrow(/state 'W\.mom' is \(4, 5\) float32, expected \(4, 3\) float32/);
    await expect(opt.load(fixture('adam-global.hdf'))).rejects.toThrow(/NesterovSGD: cannot load checkpoint: unknown attribute 'alpha'/);
    const float64 = await writeH5Bytes((f) => {
      const states = f.create_group('.states');
      states.create_dataset({ name: 'W.mom', data: new Float64Array(12), shape: [4, 3], dtype: '<d' });
      writeArray(states, 'b.mom', HostArray.zeros([3]));
    });
    await expect(opt.load(float64)).rejects.toThrow(/state 'W\.mom' is stored as float64, which does not cast safely to float32/);
    await expect(opt.load(new TextEncoder().encode('junk'))).rejects.toThrow(/^NesterovSGD: cannot load checkpoint bytes: not an HDF5 file/);
    await expect(new Adam().load(bytes)).rejects.toThrow(/before loading/);
    expect(stateValuesOf(opt)).toEqual(before);
    expect(opt.t).toBe(0);
    for (const d of [opt, lin, other, wider]) d.dispose();
  });

  it('writes atomically: a failed save keeps the previous file', async () => {
    const lin = new Linear(2, 2);
    const opt = new NesterovSGD();
    opt.setupOn(lin);
    const path = join(dir, 'opt.hdf');
    await opt.save(path);
    const previous = await readFile(path);
    const half = gpuarray.zeros([2], 'float16');
    opt.states.get('b')!['extra'] = half;
    await expect(opt.save(path)).rejects.toThrow(/NesterovSGD save error: .*float16/);
    expect(await readFile(path)).toEqual(previous);
    expect(await readdir(dir)).toEqual(['opt.hdf']);
    opt.dispose();
    lin.dispose();
  });
});
