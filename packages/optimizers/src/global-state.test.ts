import { gpuarray, HostArray } from '@puzzle/backend';
import { Linear, Variable } from '@puzzle/modules';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Adam } from './adam.js';
import type { OptimizerState } from './hook.js';
import { globalStateKey } from './optimizer.js';
import { SGD } from './sgd.js';
import { Chain, Holder } from './test-support/chain.js';

/** Adam that counts its fused updates. */
class CountingAdam extends Adam {
  launches = 0;
  protected override updateVar(v: Variable, state: OptimizerState): void {
    this.launches++;
    super.updateVar(v, state);
  }
}

function variable(shape: number[], seed: number, dtype: 'float32' | 'float16' = 'float32'): Variable {
  const data = gpuarray.toGpu(HostArray.from(randomData(shape, seed).f64, { shape, dtype }));
  const grad = gpuarray.toGpu(HostArray.from(randomData(shape, seed + 50).f64, { shape, dtype }));
  return new Variable(data, { grad });
}

describeEngines('global optimizer state', () => {
  it('sorts variables by first name as strings and packs them into aligned blocks with zeroed gaps', () => {
    const net = new Chain(Array.from({ length: 12 }, () => new Linear(2, 3)));
    net.children.forEach((m, i) => (m as Linear).b!.set(randomData([3], i).host));
    const old = [...net.getVarTable()].map(([v, names]) => ({ v, name: names[0]!, values: v.data.get().toFloat32() }));
    const opt = new Adam();
    opt.setupOn(net, { useGlobalState: true });
    const params = opt.shParams.get('float32')!;
    const order = ['0', '1', '10', '11', '2', '3', '4', '5', '6', '7', '8', '9'].flatMap((i) => [`${i}.W`, `${i}.b`]);
    expect(params.names).toEqual(order);
    order.forEach((name, k) => {
      const size = name.endsWith('W') ? 6 : 3;
      expect(params.offsetOf(name) % 4, `${name} starts on 16 bytes`).toBe(0);
      if (k + 1 < order.length) expect(params.offsetOf(order[k + 1]!)).toBe(params.offsetOf(name) + Math.ceil(size / 4) * 4);
    });
    const flat = params.ary.get().toFloat32();
    const covered = new Set(order.flatMap((name) => Array.from({ length: name.endsWith('W') ? 6 : 3 }, (_, i) => params.offsetOf(name) + i)));
    expect(flat.filter((_, i) => !covered.has(i)).every((x) => x === 0), 'gaps are zero').toBe(true);
    for (const { v, name, values } of old) {
      const bound = net.getVar(name);
      expect(v.data.isDisposed, `old ${name} disposed`).toBe(true);
      expect(bound.data.sharesStorageWith(params.ary)).toBe(true);
      expect(bound.grad!.sharesStorageWith(opt.shGrads.get('float32')!.ary)).toBe(true);
      expect(Array.from(bound.data.get().data)).toEqual(Array.from(values));
    }
    expect(opt.stateDict()[`${globalStateKey('float32')}.mg`]!.size).toBe(params.ary.size);
    opt.dispose();
    net.dispose();
  });

  it('launches one fused update per dtype per step (one per variable in local mode)', () => {
    const vars = () => ({ a: variable([3], 1), b: variable([5], 2, 'float16'), c: variable([2, 2], 3) });
    const global = new CountingAdam();
    const mixed = new Holder(vars());
    const initial = Object.fromEntries(['a', 'b', 'c'].map((n) => [n, mixed.getVar(n).data.get().toFloat32()]));
    global.setupOn(mixed, { useGlobalState: true });
    expect([...global.shParams.keys()].sort()).toEqual(['float16', 'float32']);
    global.update();
    global.update();
    expect(global.launches).toBe(4);
    const local = new CountingAdam();
    const separate = new Holder(vars());
    local.setupOn(separate);
    local.update();
    expect(local.launches).toBe(3);
    for (const name of ['a', 'b', 'c']) expect(mixed.getVar(name).data.get().toFloat32(), `${name} moved`).not.toEqual(initial[name]);
    [global, local, mixed, separate].forEach((o) => o.dispose());
  });

  it('keeps custom-updater variables out of the buffers and calls them with learnRate', () => {
    const seen: number[] = [];
    const custom = new Variable(gpuarray.zeros([4]), { updater: (_v, lr) => seen.push(lr) });
    const holder = new Holder({ w: variable([3], 4), custom });
    const opt = new SGD({ learnRate: 0.5 });
    opt.setupOn(holder, { useGlobalState: true });
    expect(opt.customVars).toEqual(['custom']);
    expect(opt.shParams.get('float32')!.names).toEqual(['w']);
    opt.update();
    opt.update();
    expect(seen).toEqual([0.5, 0.5]);
    expect(holder.getVar('custom')).toBe(custom);
    opt.dispose();
    holder.dispose();
  });

  it('zeroGradParams clears the whole flat grad buffer, and the module sees it', () => {
    const holder = new Holder({ a: variable([3], 5), b: variable([7], 6) });
    const opt = new SGD();
    opt.setupOn(holder, { useGlobalState: true });
    const grads = opt.shGrads.get('float32')!.ary;
    grads.set(randomData([grads.size], 7).host);
    opt.zeroGradParams();
    expect(grads.get().toFloat32().every((x) => x === 0)).toBe(true);
    holder.getVar('b').grad!.set(randomData([7], 8).host);
    const at = opt.shGrads.get('float32')!.offsetOf('b');
    expectClose(grads.get().toFloat32().slice(at, at + 7), randomData([7], 8).f64, TOLERANCES.float32);
    opt.dispose();
    holder.dispose();
  });
});
