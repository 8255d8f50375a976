import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { Activation, CheckpointError, Linear, ModuleError, type Module } from '@puzzle/modules';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { OptimizerError } from '../optimizer-error.js';
import { loadCheckpoint, saveCheckpoint } from './training-checkpoint.js';

const net = (width = 3) => new Sequential().append(new Linear(4, width)).append(new Activation('relu')).append(new Linear(width, 2));

function setUp(seed: number, width = 3): { module: Module; optimizer: Adam } {
  const module = net(width);
  const optimizer = new Adam({ alpha: 0.01 });
  optimizer.setupOn(module, { useGlobalState: true });
  [...module.getVarTable().keys()].forEach((v, i) => v.data.set(HostArray.randn([...v.data.shape], { seed: seed + i })));
  Object.values(optimizer.stateDict()).forEach((a, i) => a.set(HostArray.randn([...a.shape], { seed: seed + 50 + i })));
  optimizer.t = seed;
  return { module, optimizer };
}

const values = ({ module, optimizer }: ReturnType<typeof setUp>) => [
  optimizer.t,
  ...[...module.getVarTable().keys()].map((v) => Array.from(v.data.get().data)),
  ...Object.values(optimizer.stateDict()).map((a) => Array.from(a.get().data)),
];

describeEngines('Training checkpoints (module and optimizer in one file)', () => {
  let dir: string;
  const made: ReturnType<typeof setUp>[] = [];
  const make = (seed: number, width?: number) => made[made.push(setUp(seed, width)) - 1]!;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'puzzle-train-ckpt-'));
  });

  afterEach(async () => {
    for (const { module, optimizer } of made.splice(0)) {
      optimizer.dispose();
      module.dispose();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips module, optimizer and meta as one file, without leaking', async () => {
    const saved = make(7);
    const path = join(dir, 'train.hdf');
    await saveCheckpoint(path, saved, { meta: { epoch: 3, iteration: 1200 } });
    const resumed = make(99);
    const before = liveBuffers();
    expect(await loadCheckpoint(path, resumed)).toEqual({ epoch: 3, iteration: 1200 });
    expect(liveBuffers()).toBe(before);
    expect(values(resumed)).toEqual(values(saved));
    expect(await readdir(dir)).toEqual(['train.hdf']);
  });

  it('keeps PuzzleLib layouts: Module.load and Optimizer.load each read their part of it', async () => {
    const saved = make(7);
    const path = join(dir, 'train.hdf');
    await saveCheckpoint(path, saved);
    const other = make(99);
    await other.module.load(path);
    await other.optimizer.load(path);
    expect(values(other)).toEqual(values(saved));
  });

  it('changes neither part when one does not fit: a wider model is a ModuleError, the optimizer stays too', async () => {
    const path = join(dir, 'train.hdf');
    await saveCheckpoint(path, make(7, 5));
    const target = make(99);
    const before = values(target);
    await expect(loadCheckpoint(path, target)).rejects.toThrow(ModuleError);
    expect(values(target)).toEqual(before);
  });

  it('refuses a file written by Module.save (no optimizer part) and an optimizer set up on another module', async () => {
    const { module, optimizer } = make(7);
    const modelOnly = join(dir, 'model.hdf');
    await module.save(modelOnly);
    await expect(loadCheckpoint(modelOnly, { module, optimizer })).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(modelOnly, { module, optimizer })).rejects.toThrow(/not a training checkpoint/);
    const stranger = net();
    await expect(saveCheckpoint(join(dir, 'x.hdf'), { module: stranger, optimizer })).rejects.toThrow(OptimizerError);
    await expect(saveCheckpoint(join(dir, 'x.hdf'), { module: stranger, optimizer })).rejects.toThrow(/^Adam is set up on another module \(Sequential\), not on the Sequential given: a checkpoint pairs/);
    stranger.dispose();
  });

  it('names the user\'s path and the errno when the file system refuses', async () => {
    const parts = make(7);
    const e = (await saveCheckpoint(dir, parts).catch((err: unknown) => err)) as CheckpointError;
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toBe(`checkpoint of Sequential and Adam: cannot save to ${dir}: EISDIR (${dir} is a directory; only a regular file is replaced by a save)`);
    const o = (await parts.optimizer.save(dir).catch((err: unknown) => err)) as CheckpointError;
    expect(o.message).toMatch(/^Adam: cannot save to .*: EISDIR/);
  });
});
