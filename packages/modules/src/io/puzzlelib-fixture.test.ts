import { fileURLToPath } from 'node:url';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Linear } from '../linear.js';
import { h5Layout } from './h5-layout.js';
import { fixtureModel, fixtureValues, randomize, type Tree } from '../test-support/checkpoint-models.js';
import { readBlueprint } from './read-blueprint.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url));

describeEngines('PuzzleLib-layout fixtures', () => {
  it('loads a bare Linear written by h5py in PuzzleLib layout', async () => {
    const lin = new Linear(4, 3);
    const before = liveBuffers();
    await lin.load(fixture('linear.hdf'));
    expect(liveBuffers()).toBe(before);
    expect(lin.W.get().data).toEqual(fixtureValues([4, 3], 1));
    expect(lin.b!.get().data).toEqual(fixtureValues([3], 2));
    lin.dispose();
  });

  it('loads a nested container tree with leaf attributes and a blueprint', async () => {
    const model = fixtureModel();
    await model.load(fixture('sequential.hdf'));
    const [first, , inner, stats] = [...model.modules.values()] as [Linear, unknown, Tree, Linear];
    const second = inner.modules.get('0') as Linear;
    expect(first.W.get().data).toEqual(fixtureValues([4, 3], 3));
    expect(first.b!.get().data).toEqual(fixtureValues([3], 4));
    expect(second.W.get().data).toEqual(fixtureValues([3, 2], 5));
    expect(second.b!.get().data).toEqual(fixtureValues([2], 6));
    expect(stats.getAttr('mean').get().data).toEqual(fixtureValues([2], 7));
    const blueprint = (await readBlueprint(fixture('sequential.hdf'))) as { classname: string; modules: Record<string, unknown> };
    expect(blueprint.classname).toBe('Sequential');
    expect(Object.keys(blueprint.modules)).toEqual(['0', '1', '2', '3']);
    model.dispose();
  });

  it('writes exactly the layout PuzzleLib writes', async () => {
    for (const [file, model, blueprint] of [
      ['linear.hdf', new Linear(4, 3), undefined],
      ['sequential.hdf', fixtureModel(), await readBlueprint(fixture('sequential.hdf'))],
    ] as const) {
      randomize(model, 1);
      const ours = await h5Layout(await model.save(undefined, { blueprint }));
      expect(ours).toEqual(await h5Layout(fixture(file)));
      model.dispose();
    }
  });
});
