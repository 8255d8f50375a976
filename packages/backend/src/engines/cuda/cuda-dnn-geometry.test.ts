import { describe, expect, it } from 'vitest';
import { convShape, padShape, poolShape, upsampleShape } from './cuda-dnn-geometry.js';

const numbers = (d: Float64Array): number[] => Array.from(d);

describe('cuda dnn problem descriptions', () => {
  it('lead fewer spatial axes with neutral ones', () => {
    const conv = convShape('op', [2, 4, 9], [2, 6, 4], [6, 2, 3], { stride: [2], pad: [1], dilation: [1], groups: 2 });
    expect(numbers(conv)).toEqual([2, 4, 6, 2, 1, 1, 9, 1, 1, 4, 1, 1, 3, 1, 1, 2, 0, 0, 1, 1, 1, 1]);
    const pool = poolShape('op', [2, 3, 8], [2, 3, 4], { size: [2], stride: [2], pad: [0], mode: 'max' });
    expect(numbers(pool)).toEqual([6, 1, 1, 8, 1, 1, 4, 1, 1, 2, 1, 1, 2, 0, 0, 0]);
  });

  it('each kind keeps its own numbers while another kind is described', () => {
    const pad = padShape('op', [2, 3, 7], [[2, 1]]);
    const before = numbers(pad);
    upsampleShape('op', [2, 3, 4, 3], [2, 2]);
    poolShape('op', [1, 1, 4, 4], [1, 1, 2, 2], { size: [2, 2], stride: [2, 2], pad: [0, 0], mode: 'max' });
    expect(numbers(pad)).toEqual(before);
    expect(before).toEqual([6, 1, 1, 7, 0, 0, 2, 0, 0, 1]);
  });

  it('reject more spatial axes than the kernels have', () => {
    const geom = { stride: [1, 1, 1, 1], pad: [0, 0, 0, 0], dilation: [1, 1, 1, 1], groups: 1 };
    const shape = [1, 1, 2, 2, 2, 2];
    expect(() => convShape('cuda.convNd', shape, shape, shape, geom)).toThrow('cuda.convNd: supports at most 3 spatial axes, got 4');
  });
});
