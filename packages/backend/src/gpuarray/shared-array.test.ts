import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, SharedArray } from '../index.js';

describeEngines('SharedArray', () => {
  it('packs registered blocks on 16-byte boundaries with zeroed gaps', () => {
    const sa = new SharedArray('float32');
    sa.register([3, 3], 'float32', 'W').register([5], 'float32', 'b').register([2, 2], 'float32', 'V').build();
    // 9 floats round up to 12, 5 to 8, 4 stays 4.
    expect(sa.ary.shape).toEqual([24]);
    expect([sa.offsetOf('W'), sa.offsetOf('b'), sa.offsetOf('V')]).toEqual([0, 12, 20]);
    expect(sa.get('W').shape).toEqual([3, 3]);
    const w = randomData([3, 3], 1);
    const b = randomData([5], 2);
    sa.get('W').set(w.host);
    sa.get('b').set(b.host);
    const flat = sa.ary.get().data;
    expectClose(flat.slice(0, 9), w.f64, TOLERANCES.float32);
    expect(Array.from(flat.slice(9, 12))).toEqual([0, 0, 0]);
    expectClose(flat.slice(12, 17), b.f64, TOLERANCES.float32);
    expect(Array.from(flat.slice(17, 20))).toEqual([0, 0, 0]);
    // Writes through the whole buffer reach the named views.
    sa.ary.fill(2);
    expect(Array.from(sa.get('V').get().data)).toEqual([2, 2, 2, 2]);
    sa.dispose();
  });

  it('float16 blocks align to 8 elements', () => {
    const sa = new SharedArray('float16').register([3], 'float16', 'a').register([9], 'float16', 'b').build();
    expect(sa.offsetOf('b')).toBe(8);
    expect(sa.ary.shape).toEqual([24]);
    sa.dispose();
  });

  it('rejects a wrong dtype, duplicate names and lookups before build', () => {
    const sa = new SharedArray('float32');
    expect(() => sa.register([2], 'float16', 'x')).toThrow(/float16.*float32/);
    sa.register([2], 'float32', 'x');
    expect(() => sa.register([2], 'float32', 'x')).toThrow(/already registered/);
    expect(() => sa.get('x')).toThrow(BackendError);
    sa.build();
    expect(() => sa.get('y')).toThrow(/no block named 'y'/);
    sa.dispose();
  });
});
