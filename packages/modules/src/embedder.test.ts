import { gpuarray, HostArray, Rng, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Embedder } from './embedder.js';
import { ModuleError } from './errors.js';

/** int32 indices in [−1, vocab), with repeats so that the scatter-add must accumulate. */
function indices(shape: [number, number], vocab: number, seed: number): HostArray {
  const rng = new Rng(seed);
  const values = Int32Array.from({ length: shape[0] * shape[1] }, () => Math.floor(rng.uniform() * (vocab + 1)) - 1);
  values[0] = -1;
  return new HostArray(values, shape, 'int32');
}

/** Σ of the grad rows landing on each vocabulary row (−1 skipped). */
function scatter64(idx: Int32Array, g: Float64Array, vocab: number, e: number): Float64Array {
  const out = new Float64Array(vocab * e);
  idx.forEach((row, p) => {
    if (row >= 0) for (let j = 0; j < e; j++) out[row * e + j]! += g[p * e + j]!;
  });
  return out;
}

describeEngines('Embedder', () => {
  it('looks rows up (zeros for −1); backward scatter-adds into W.grad and updateParams applies it', () => {
    const [vocab, len, e] = [9, 5, 4];
    const emb = new Embedder(vocab, len, e);
    const W = Float64Array.from(emb.W.get().toFloat32());
    expect(W.every((v) => Math.abs(v) <= 1)).toBe(true);
    const idxHost = indices([3, len], vocab, 1);
    const idx = idxHost.data as Int32Array;
    const xd = gpuarray.toGpu(idxHost);
    const out = emb.call(xd) as GPUArray;
    expect(out.shape).toEqual(emb.dataShapeFrom([3, len]));
    const lookup = Float64Array.from({ length: 3 * len * e }, (_, k) => (idx[Math.floor(k / e)]! < 0 ? 0 : W[idx[Math.floor(k / e)]! * e + (k % e)]!));
    expectClose(out.get().data, lookup, TOLERANCES.float32, 'lookup');
    const g = randomData([3, len, e], 2);
    const gd = gpuarray.toGpu(g.host);
    emb.backward(gd);
    expect(emb.grad).toBeNull();
    const scattered = scatter64(idx, g.f64, vocab, e);
    expectClose(emb.getVar('W').grad!.get().data, scattered, TOLERANCES.float32, 'W.grad');
    emb.updateParams(0.1);
    expectClose(emb.W.get().data, W.map((v, k) => v + 0.1 * scattered[k]!), TOLERANCES.float32, 'updated W');
    emb.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('W grads match finite differences and honour scale and momentum', () => {
    const emb = new Embedder(6, 4, 3);
    checkModuleGradients(emb, [indices([2, 4], 6, 3)], { skipInputGrad: true });
    emb.dispose();
  });

  it('takes a word → index vocabulary, and a frozen one never changes', () => {
    const emb = new Embedder({ b: 1, a: 0, c: 2 }, 2, 3, { learnable: false, onVocabulary: (W) => W.data.fill(0.5) });
    expect(emb.W.shape).toEqual([3, 3]);
    expect([...emb.getVocabulary()]).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    const xd = gpuarray.toGpu(new HostArray(Int32Array.from([0, 2, 1, -1]), [2, 2], 'int32'));
    const gd = gpuarray.toGpu(HostArray.randn([2, 2, 3], { seed: 4 }));
    emb.call(xd);
    emb.backward(gd);
    emb.updateParams(1);
    expect(Array.from(emb.W.get().data)).toEqual(new Array(9).fill(0.5));
    expect(new Embedder(4, 2, 3).getVocabulary().size).toBe(0);
    expect(() => new Embedder({ a: 0, b: 2 }, 2, 3)).toThrow(/0\.\.V/);
    emb.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('verifies index ranges, dtype and shapes with ModuleErrors naming the module, state unchanged', () => {
    const emb = new Embedder(5, 3, 2, { name: 'emb' });
    const good = gpuarray.toGpu(new HostArray(Int32Array.from([0, 1, 4]), [1, 3], 'int32'));
    const out = emb.call(good);
    const tooBig = gpuarray.toGpu(new HostArray(Int32Array.from([0, 5, 1]), [1, 3], 'int32'));
    const tooSmall = gpuarray.toGpu(new HostArray(Int32Array.from([0, -2, 1]), [1, 3], 'int32'));
    expect(() => emb.call(tooBig)).toThrow(ModuleError);
    expect(() => emb.call(tooBig)).toThrow(/Embedder 'emb'.*index 5.*vocabulary size is 5/);
    expect(() => emb.call(tooSmall)).toThrow(/index -2/);
    expect(emb.data).toBe(out);
    const floats = gpuarray.zeros([1, 3]);
    expect(() => emb.call(floats)).toThrow(/int32.*float32/);
    const wide = gpuarray.zeros([1, 4], 'int32');
    expect(() => emb.call(wide)).toThrow(/\(batch, 3\).*\(1, 4\)/);
    const badGrad = gpuarray.zeros([1, 3, 3]);
    expect(() => emb.backward(badGrad)).toThrow(/\(1, 3, 2\).*\(1, 3, 3\)/);
    expect(() => emb.gradShapeFrom([1, 3, 2])).toThrow(/undefined/);
    for (const a of [good, tooBig, tooSmall, floats, wide, badGrad]) a.dispose();
    emb.dispose();
  });

  it('forward and backward in a loop keep the live-buffer count flat', () => {
    const emb = new Embedder(5, 3, 2);
    const xd = gpuarray.toGpu(new HostArray(Int32Array.from([0, 1, 4, -1, 2, 2]), [2, 3], 'int32'));
    const gd = gpuarray.toGpu(HostArray.randn([2, 3, 2], { seed: 5 }));
    emb.call(xd);
    emb.backward(gd);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        emb.call(xd);
        emb.backward(gd);
      }
    });
    emb.dispose();
    xd.dispose();
    gd.dispose();
  });
});
