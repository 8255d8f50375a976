import { gpuarray } from '@puzzle/backend';
import { Activation, Identity, Linear, ModuleError, Variable } from '@puzzle/modules';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ContainerError } from './container-error.js';
import { Sequential } from './sequential.js';

/** Linear(4,3) at "0", a nested Sequential at "1" holding Linear(3,2) at "0" and a named Linear. */
function nested(): { outer: Sequential; inner: Sequential; named: Linear } {
  const named = new Linear(2, 2, { name: 'head' });
  const inner = new Sequential().append(new Linear(3, 2)).append(named);
  const outer = new Sequential('root').append(new Linear(4, 3)).append(inner);
  return { outer, inner, named };
}

describeEngines('Container', () => {
  it('names children by position and renames clashes unless acquire is false', () => {
    const seq = new Sequential();
    const a = new Identity();
    const b = new Identity({ name: 'x' });
    const c = new Identity({ name: 'x' });
    seq.append(a).append(b).append(c);
    expect([...seq.modules.keys()]).toEqual(['0', 'x', '2']);
    expect(c.name).toBe('2');
    expect(() => seq.append(new Identity({ name: 'x' }), false)).toThrow(ContainerError);
    expect(() => seq.append(new Identity({ name: 'x' }), false)).toThrow(/already holds a module named 'x'/);
    // Names like "10" keep insertion order (a Map, not an object with integer-like keys).
    const many = new Sequential();
    for (let i = 0; i < 12; i++) many.append(new Identity({ name: String(11 - i) }));
    expect([...many.modules.keys()][0]).toBe('11');
  });

  it('builds var tables "child.param" recursively, without the root name', () => {
    const { outer, inner, named } = nested();
    const names = [...outer.getVarTable().values()].flat();
    expect(names).toEqual(['0.W', '0.b', '1.0.W', '1.0.b', '1.head.W', '1.head.b']);
    expect(outer.getVarTable().get(inner.getByIndex(0).vars['b']!)).toEqual(['1.0.b']);
    expect(outer.getVar('1.head.W')).toBe(named.vars['W']);
    expect(outer.numOfParams()).toBe(4 * 3 + 3 + 3 * 2 + 2 + 2 * 2 + 2);
    outer.dispose();
  });

  it('lists a variable shared by two modules under both names', () => {
    const a = new Linear(3, 3);
    const b = new Linear(3, 3);
    b.setVar('W', a.vars['W']!);
    const seq = new Sequential().append(a).append(b);
    expect(seq.getVarTable().get(a.vars['W']!)).toEqual(['0.W', '1.W']);
    expect(seq.numOfParams()).toBe(9 + 3 + 3);
    seq.dispose();
  });

  it('sets and gets variables by dotted names split at the first dot', () => {
    const { outer, inner } = nested();
    const replacement = new Variable(gpuarray.zeros([2]));
    outer.setVar('1.0.b', replacement);
    expect(inner.getByIndex(0).vars['b']).toBe(replacement);
    expect(outer.getVar('1.0.b')).toBe(replacement);
    expect(() => outer.getVar('W')).toThrow(ContainerError);
    expect(() => outer.getVar('W')).toThrow(/no dot/);
    expect(() => outer.getVar('7.W')).toThrow(/no module '7'/);
    expect(() => outer.getVar('0.Q')).toThrow(ModuleError);
    outer.dispose();
  });

  it('finds modules by name (recursively) and by type', () => {
    const { outer, named } = nested();
    expect(outer.getByName('head')).toBe(named);
    expect(outer.getByName('missing')).toBeNull();
    expect(outer.getAllByType(Linear)).toHaveLength(3);
    expect(outer.getAllByType(Activation)).toHaveLength(0);
    outer.dispose();
  });

  it('keeps its own attributes under "<name>.<attr>"', () => {
    const seq = new Sequential('net');
    const stat = gpuarray.zeros([2]);
    seq.setAttr('count', stat);
    expect(Object.keys(seq.attrs)).toEqual(['net.count']);
    expect(seq.getAttr('count')).toBe(stat);
    expect(seq.hasAttr('count')).toBe(true);
    expect(() => seq.getAttr('other')).toThrow(ContainerError);
    seq.dispose();
  });

  it('recurses train/eval mode, zeroGradParams, updateParams and calcMode', () => {
    const { outer, named } = nested();
    outer.evalMode();
    expect(named.train).toBe(false);
    outer.trainMode();
    expect(named.train).toBe(true);
    const W = named.vars['W']!;
    W.grad!.fill(1);
    const before = W.data.get().toFloat32();
    outer.updateParams(0.5);
    expect(Array.from(W.data.get().toFloat32())).toEqual(Array.from(before, (v) => Math.fround(v + 0.5)));
    outer.zeroGradParams();
    expect(Array.from(W.grad!.get().toFloat32())).toEqual([0, 0, 0, 0]);
    // Linear supports float32 only: the container names the child that refused.
    expect(() => outer.calcMode('float16')).toThrow(ContainerError);
    expect(() => outer.calcMode('float16')).toThrow(/module '0' \(Linear '0'\).*calcMode\(float16\)/);
    outer.dispose();
  });
});
