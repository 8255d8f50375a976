import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, gpuarray, HostArray, memoryStats } from '../index.js';

describeEngines('GPUArray', () => {
  it('round-trips host data for every dtype', () => {
    expectNoLeak(() => {
      const f = randomData([3, 5], 1);
      const a = gpuarray.toGpu(f.host);
      expect(a.shape).toEqual([3, 5]);
      expect(a.size).toBe(15);
      expect(a.nbytes).toBe(60);
      expectClose(a.get().data, f.f64, TOLERANCES.float32);
      const ints = HostArray.from([1, -2, 3, 2147483647], { dtype: 'int32' });
      const b = gpuarray.toGpu(ints);
      expect(Array.from(b.get().data)).toEqual([1, -2, 3, 2147483647]);
      const half = gpuarray.toGpu(HostArray.from([0.5, -1.25, 1000, 3.140625], { dtype: 'float16' }));
      expect(half.get().toArray()).toEqual([0.5, -1.25, 1000, 3.140625]);
      expect(half.nbytes).toBe(8);
      for (const x of [a, b, half]) x.dispose();
    });
  });

  it('slice and reshape are views: writes through them reach the parent', () => {
    const f = randomData([4, 6], 2);
    const a = gpuarray.toGpu(f.host);
    const view = a.slice([1, 3], [2, 5]);
    expect(view.shape).toEqual([2, 3]);
    expect(view.contiguous).toBe(false);
    expect(view.sharesStorageWith(a)).toBe(true);
    const patch = randomData([2, 3], 3);
    view.set(patch.host);
    const expected = Float64Array.from(f.f64);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected[(i + 1) * 6 + j + 2] = patch.f64[i * 3 + j]!;
    expectClose(a.get().data, expected, TOLERANCES.float32);
    expectClose(view.get().data, patch.f64, TOLERANCES.float32);

    const row = a.slice(2);
    expect(row.shape).toEqual([6]);
    row.fill(5);
    const flat = a.reshape(-1, 3);
    expect(flat.shape).toEqual([8, 3]);
    expect(Array.from(flat.get().data.slice(12, 18))).toEqual([5, 5, 5, 5, 5, 5]);
    const negative = a.slice(null, [-2, 6]);
    expect(negative.shape).toEqual([4, 2]);
    for (const x of [a, view, row, flat, negative]) x.dispose();
  });

  it('same-shape reshapes and whole slices are views; shapes are frozen copies the caller cannot change', () => {
    const dims = [2, 6];
    const a = gpuarray.zeros(dims);
    dims[0] = 7;
    expect(a.shape).toEqual([2, 6]);
    expect(Object.isFrozen(a.shape) && Object.isFrozen(a.strides)).toBe(true);
    // A unit axis may carry any stride: this block is contiguous with strides (6, 1).
    const block = a.slice([1, 2], [2, 5]);
    expect([block.offset, block.strides, block.contiguous]).toEqual([8, [6, 1], true]);
    const whole = block.slice();
    expect([whole.offset, whole.shape, whole.strides]).toEqual([8, [1, 3], [6, 1]]);
    // A reshape lays the view out afresh, even to the same shape.
    const same = block.reshape(block.shape as number[]);
    expect([same.offset, same.shape, same.strides]).toEqual([8, [1, 3], [3, 1]]);
    for (const x of [a, block, whole, same]) x.dispose();
    expect(() => same.reshape(1, 3)).toThrow(/used after dispose/);
    expect(() => same.slice()).toThrow(/used after dispose/);
  });

  it('set demands exact shape and dtype, and leaves the target untouched otherwise', () => {
    const f = randomData([2, 3], 4);
    const a = gpuarray.toGpu(f.host);
    expect(() => a.set(HostArray.zeros([3, 2]))).toThrow(BackendError);
    expect(() => a.set(HostArray.zeros([3, 2]))).toThrow(/\(3, 2\).*\(2, 3\)/);
    expect(() => a.set(HostArray.zeros([2, 3], 'int32'))).toThrow(/int32.*float32/);
    expectClose(a.get().data, f.f64, TOLERANCES.float32);
    a.dispose();
  });

  it('views out of range and bad reshapes are BackendErrors naming the shapes', () => {
    const a = gpuarray.zeros([4, 5]);
    expect(() => a.slice([0, 6])).toThrow(/\[0, 6\).*\(4, 5\)/);
    expect(() => a.slice(4)).toThrow(BackendError);
    expect(() => a.slice(0, 0, 0)).toThrow(/3 indices/);
    expect(() => a.reshape(3, 7)).toThrow(/\(4, 5\).*\(3, 7\)/);
    expect(() => a.reshape(-1, -1)).toThrow(/one -1/);
    expect(() => a.slice(null, [1, 3]).reshape(8)).toThrow(/contiguous/);
    a.dispose();
  });

  it('use after dispose is a BackendError, and dispose is idempotent', () => {
    const a = gpuarray.zeros([3]);
    a.dispose();
    a.dispose();
    expect(() => a.get()).toThrow(/used after dispose/);
    expect(() => a.fill(1)).toThrow(BackendError);
  });

  it('storage lives until its last view is disposed', () => {
    const before = memoryStats().liveBuffers;
    const a = gpuarray.toGpu(HostArray.from([1, 2, 3, 4]));
    const v = a.slice([1, 3]);
    a.dispose();
    expect(memoryStats().liveBuffers).toBe(before + 1);
    expect(Array.from(v.get().data)).toEqual([2, 3]);
    v.dispose();
    expect(memoryStats().liveBuffers).toBe(before);
  });

  it('astype converts float32 ↔ float16 ↔ int32; copy is contiguous and independent', () => {
    expectNoLeak(() => {
      const f = randomData([10], 5);
      const a = gpuarray.toGpu(f.host);
      const half = a.astype('float16');
      expect(half.dtype).toBe('float16');
      expectClose(half.get().toFloat32(), f.f64, TOLERANCES.float16);
      const back = half.astype('float32');
      expectClose(back.get().data, f.f64, TOLERANCES.float16);
      const floats = gpuarray.toGpu(HostArray.from([1.7, -2.2, 3.9]));
      const ints = floats.astype('int32');
      expect(Array.from(ints.get().data)).toEqual([1, -2, 3]);
      const view = a.slice([2, 6]);
      const c = view.copy();
      expect(c.contiguous).toBe(true);
      c.fill(0);
      expectClose(view.get().data, f.f64.slice(2, 6), TOLERANCES.float32);
      for (const x of [a, half, back, floats, ints, view, c]) x.dispose();
    });
  });

  it('the pool reuses released blocks and freeHeld empties its cache', () => {
    const a = gpuarray.empty([1000]);
    a.dispose();
    const held = memoryStats().heldBuffers;
    expect(held).toBeGreaterThan(0);
    const allocations = memoryStats().engineAllocations;
    const b = gpuarray.empty([1000]);
    expect(memoryStats().engineAllocations).toBe(allocations);
    b.dispose();
    gpuarray.freeHeld();
    expect(memoryStats().heldBuffers).toBe(0);
  });
});
