import { fileURLToPath } from 'node:url';
import { Sequential } from '@puzzle/containers';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Activation } from '../activation.js';
import { Linear } from '../linear.js';
import { fixtureValues, randomize, Stats } from '../test-support/checkpoint-models.js';
import { h5Layout } from './h5-layout.js';

const fixture = fileURLToPath(new URL('../../test-fixtures/sequential.hdf', import.meta.url));

function lenetLike(): Sequential {
  const inner = new Sequential().append(new Linear(3, 2));
  return new Sequential().append(new Linear(4, 3)).append(new Activation('relu')).append(inner).append(new Stats(2));
}

describeEngines('Checkpoints of @puzzle/containers', () => {
  it('load PuzzleLib files into a real Sequential and save the same layout, with no container code', async () => {
    const seq = lenetLike();
    await seq.load(fixture);
    const inner = seq.modules.get('2') as Sequential;
    expect((seq.modules.get('0') as Linear).W.get().data).toEqual(fixtureValues([4, 3], 3));
    expect((inner.modules.get('0') as Linear).b!.get().data).toEqual(fixtureValues([2], 6));
    expect(seq.modules.get('3')!.getAttr('mean').get().data).toEqual(fixtureValues([2], 7));
    randomize(seq, 2);
    const ours = await h5Layout(await seq.save());
    const theirs = await h5Layout(fixture);
    delete theirs['blueprint'];
    expect(ours).toEqual(theirs);
    seq.dispose();
  });
});
