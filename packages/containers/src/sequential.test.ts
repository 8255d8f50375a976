import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { Activation, Flatten, Identity, Linear, ModuleError } from '@puzzle/modules';
import { describeEngines, expectClose, expectNoLeak, matmul64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ContainerError } from './container-error.js';
import { Sequential } from './sequential.js';

const host64 = (a: GPUArray) => Float64Array.from(a.get().toFloat32());
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));

/** Linear(128,64)–sigmoid–Linear(64,32)–sigmoid, with random biases so every term matters. */
function simpleNet(): Sequential {
  const seq = new Sequential()
    .append(new Linear(128, 64))
    .append(new Activation('sigmoid'))
    .append(new Linear(64, 32))
    .append(new Activation('sigmoid'));
  seq.getVar('0.b').data.set(randomData([64], 21).host);
  seq.getVar('2.b').data.set(randomData([32], 22).host);
  return seq;
}

/** The same net in float64: forward, then the backward of a neg-grad g (modules pass it on linearly). */
function reference(seq: Sequential, x: Float64Array, g: Float64Array, n: number) {
  const [W1, b1, W2, b2] = ['0.W', '0.b', '2.W', '2.b'].map((name) => host64(seq.getVar(name).data));
  const h1 = matmul64(x, W1!, n, 128, 64).map((v, i) => sigmoid64(v + b1![i % 64]!));
  const h2 = matmul64(h1, W2!, n, 64, 32).map((v, i) => sigmoid64(v + b2![i % 32]!));
  const d2 = g.map((v, i) => v * h2[i]! * (1 - h2[i]!));
  const d1 = matmul64(d2, W2!, n, 32, 64, false, true).map((v, i) => v * h1[i]! * (1 - h1[i]!));
  const colSums = (d: Float64Array, width: number) => Float64Array.from({ length: width }, (_, j) => d.reduce((s, v, i) => (i % width === j ? s + v : s), 0));
  return {
    out: h2,
    dx: matmul64(d1, W1!, n, 64, 128, false, true),
    grads: { '0.W': matmul64(x, d1, 128, n, 64, true), '0.b': colSums(d1, 64), '2.W': matmul64(h1, d2, 64, n, 32, true), '2.b': colSums(d2, 32) },
  };
}

describeEngines('Sequential', () => {
  it('simpleNet: forward, input grad and param grads match a float64 re-implementation', () => {
    const seq = simpleNet();
    const n = 4;
    const x = randomData([n, 128], 1);
    const g = randomData([n, 32], 2);
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    const out = seq.call(xd) as GPUArray;
    expect(out.shape).toEqual([n, 32]);
    expect(seq.dataShapeFrom([n, 128])).toEqual([n, 32]);
    const ref = reference(seq, x.f64, g.f64, n);
    expectClose(out.get().data, ref.out, TOLERANCES.float32Accumulated, 'output');
    seq.zeroGradParams();
    seq.backward(gd);
    expect((seq.grad as GPUArray).shape).toEqual([n, 128]);
    expect(seq.gradShapeFrom([n, 32])).toEqual([n, 128]);
    expectClose((seq.grad as GPUArray).get().data, ref.dx, TOLERANCES.float32Accumulated, 'input grad');
    for (const [name, expected] of Object.entries(ref.grads)) {
      expectClose(seq.getVar(name).grad!.get().data, expected, TOLERANCES.float32Accumulated, `${name}.grad`);
    }
    seq.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('slice(0, 2) shares the modules and maps (n, 128) to (n, 64)', () => {
    const seq = simpleNet();
    const head = seq.slice(0, 2);
    expect(head.getByIndex(0)).toBe(seq.getByIndex(0));
    expect(head.getByIndex(-1)).toBe(seq.getByIndex(1));
    const x = randomData([3, 128], 3);
    const xd = gpuarray.toGpu(x.host);
    const out = head.call(xd) as GPUArray;
    expect(out.shape).toEqual([3, 64]);
    const [W1, b1] = ['0.W', '0.b'].map((name) => host64(seq.getVar(name).data));
    expectClose(out.get().data, matmul64(x.f64, W1!, 3, 128, 64).map((v, i) => sigmoid64(v + b1![i % 64]!)), TOLERANCES.float32Accumulated);
    seq.dispose();
    xd.dispose();
  });

  it('backward accumulates parameter grads (momentum 1) unless told otherwise', () => {
    const seq = new Sequential().append(new Linear(5, 3)).append(new Activation('tanh'));
    const xd = gpuarray.toGpu(HostArray.randn([2, 5], { seed: 4 }));
    const gd = gpuarray.toGpu(HostArray.randn([2, 3], { seed: 5 }));
    seq.call(xd);
    seq.zeroGradParams();
    seq.backward(gd);
    const fresh = host64(seq.getVar('0.W').grad!);
    seq.backward(gd);
    expectClose(seq.getVar('0.W').grad!.get().data, fresh.map((v) => 2 * v), TOLERANCES.float32);
    seq.backward(gd, { momentum: 0, scale: 0.5 });
    expectClose(seq.getVar('0.W').grad!.get().data, fresh.map((v) => 0.5 * v), TOLERANCES.float32);
    seq.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('honours updGrad = false for the first module while still updating param grads', () => {
    const seq = new Sequential().append(new Linear(4, 3)).append(new Activation('sigmoid'));
    const xd = gpuarray.toGpu(HostArray.randn([2, 4], { seed: 6 }));
    const gd = gpuarray.toGpu(HostArray.randn([2, 3], { seed: 7 }));
    seq.call(xd);
    seq.zeroGradParams();
    seq.backward(gd, { updGrad: false });
    expect(seq.grad).toBeNull();
    expect(seq.getByIndex(0).grad).toBeNull();
    expect(seq.getByIndex(1).grad).not.toBeNull();
    expect(Array.from(seq.getVar('0.W').grad!.get().data).some((v) => v !== 0)).toBe(true);
    seq.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('re-raises a child failure as a ContainerError naming the index and keeping the message', () => {
    const seq = new Sequential('net').append(new Identity()).append(new Linear(6, 4, { name: 'fc' }));
    const bad = gpuarray.zeros([2, 5]);
    expect(() => seq.call(bad)).toThrow(ContainerError);
    expect(() => seq.call(bad)).toThrow(ModuleError);
    expect(() => seq.call(bad)).toThrow(/Sequential 'net': module 1 \(Linear 'fc'\): Linear 'fc': expects input width 6, got \(2, 5\)/);
    const nestedSeq = new Sequential('outer').append(new Identity()).append(seq);
    expect(() => nestedSeq.call(bad)).toThrow(/Sequential 'outer': module 1 .*Sequential 'net': module 1 .*\(2, 5\)/);
    const good = gpuarray.zeros([2, 6]);
    seq.call(good);
    expect(() => seq.backward(bad)).toThrow(/Sequential 'net'.*\(2, 5\).*\(2, 4\)/);
    expect(() => new Sequential().backward(good)).toThrow(/before forward/);
    expect(() => seq.getByIndex(5)).toThrow(/no module at index 5/);
    nestedSeq.dispose();
    bad.dispose();
    good.dispose();
  });

  it('refuses an in-place module after one whose backward reads its output', () => {
    expect(() => new Sequential().append(new Activation('sigmoid')).append(new Activation('relu', { inplace: true }))).toThrow(
      /in-place Activation.*after module 0 \(Activation '0'\)/,
    );
    expect(() => new Sequential().append(new Activation('sigmoid')).append(new Flatten()).append(new Activation('relu', { inplace: true }))).toThrow(
      ContainerError,
    );
    const ok = new Sequential().append(new Linear(3, 3)).append(new Flatten()).append(new Activation('relu', { inplace: true }));
    // A nested Sequential reports its children's flags: in place on the backward side, output read by relu.
    expect(ok.inplace).toBe(true);
    expect(ok.gradUsesOutData).toBe(true);
    expect(() => new Sequential().append(ok).append(new Activation('tanh', { inplace: true }))).toThrow(ContainerError);
    const inplaceFirst = new Sequential().append(new Activation('relu', { inplace: true }));
    expect(() => new Sequential().append(new Activation('sigmoid')).append(inplaceFirst)).toThrow(/in-place Sequential/);
    ok.dispose();
  });

  it('edits the chain: pop, insert, insertAfter, extend', () => {
    const a = new Identity({ name: 'a' });
    const b = new Identity({ name: 'b' });
    const c = new Identity({ name: 'c' });
    const seq = new Sequential().extend([a, c]);
    seq.insertAfter(b, 'a');
    expect(seq.graph).toEqual([a, b, c]);
    expect(seq.pop()).toBe(c);
    expect([...seq.modules.keys()]).toEqual(['a', 'b']);
    seq.insert(c, 0);
    expect(seq.graph.map((m) => m.name)).toEqual(['c', 'a', 'b']);
    expect(seq.getModuleIndex('b')).toBe(2);
  });

  it('owns handles of its own: disposing its output leaves the children usable', () => {
    const seq = new Sequential().append(new Linear(4, 3)).append(new Activation('sigmoid'));
    const xd = gpuarray.toGpu(HostArray.randn([2, 4], { seed: 10 }));
    const gd = gpuarray.toGpu(HostArray.randn([2, 3], { seed: 11 }));
    const out = seq.call(xd) as GPUArray;
    expect(out).not.toBe(seq.getByIndex(1).data);
    out.dispose();
    // The sigmoid's backward reads its own output, which must have survived.
    expect(() => seq.backward(gd)).not.toThrow();
    seq.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('keeps live buffers flat over forward/backward/zeroGradParams loops', () => {
    const seq = new Sequential().append(new Linear(6, 5)).append(new Activation('tanh')).append(new Linear(5, 2));
    const xd = gpuarray.toGpu(HostArray.randn([3, 6], { seed: 8 }));
    const gd = gpuarray.toGpu(HostArray.randn([3, 2], { seed: 9 }));
    seq.call(xd);
    seq.backward(gd);
    expectNoLeak(() => {
      for (let i = 0; i < 4; i++) {
        seq.call(xd);
        seq.zeroGradParams();
        seq.backward(gd);
      }
    });
    seq.dispose();
    xd.dispose();
    gd.dispose();
  });
});
