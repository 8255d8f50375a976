import { gpuarray, type GPUArray } from '@puzzle/backend';
import { Activation, Identity, Linear } from '@puzzle/modules';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ContainerError } from './container-error.js';
import { Graph } from './graph.js';
import { Parallel } from './parallel.js';
import { Sequential } from './sequential.js';

describeEngines('A module sits in one container', () => {
  it('the same module appended twice is refused at append (it failed only at backward with "used after dispose")', () => {
    const lin = new Linear(4, 4);
    const seq = new Sequential().append(lin);
    expect(() => seq.append(lin)).toThrow(ContainerError);
    expect(() => seq.append(lin)).toThrow(/^Sequential: cannot append Linear '0': it is already placed in this container as '0', and a module sits in one place only; build another one$/);
    expect(seq.length).toBe(1);
    seq.dispose();
  });

  it('a module placed in another container is refused; removed from it, it may move', () => {
    const lin = new Linear(4, 4, { name: 'fc' });
    const first = new Sequential('first').append(lin);
    expect(() => new Parallel().append(lin)).toThrow(/^Parallel: cannot append Linear 'fc': it is already placed in Sequential 'first' as 'fc'/);
    first.removeModule(lin);
    const second = new Sequential().append(lin);
    expect(second.getByIndex(0)).toBe(lin);
    for (const d of [second, first]) d.dispose();
  });

  it('slices share their modules (PuzzleLib seq[a:b]) without claiming them', () => {
    const seq = new Sequential().append(new Linear(4, 4)).append(new Activation('relu')).append(new Linear(4, 2));
    const head = seq.slice(0, 2);
    expect(head.getByIndex(0)).toBe(seq.getByIndex(0));
    expect(() => new Sequential().append(seq.getByIndex(0))).toThrow(/already placed in Sequential/);
    const x = gpuarray.zeros([2, 4]);
    expect((head.call(x) as GPUArray).shape).toEqual([2, 4]);
    head.reset();
    seq.dispose();
    x.dispose();
  });

  it('a Graph that fails to build gives its modules back, and an unreached output is named by its module', () => {
    const a = new Linear(4, 4).node();
    const b = new Linear(4, 4).node();
    const c = new Activation('relu').node(b);
    // The output's module has no name: it was never adopted (the message named nothing).
    expect(() => new Graph({ inputs: a, outputs: c })).toThrow(/^Graph: output nodes are not reachable from the inputs: the node of Activation \(unnamed\)$/);
    const graph = new Graph({ inputs: a, outputs: new Identity().node(a) });
    graph.dispose();
    for (const n of [b, c]) n.module.dispose();
  });
});
