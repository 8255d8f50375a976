import { Rng } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error.js';
import { idxMagic, readIdx, writeIdx, type IdxType } from './idx.js';

const RANGES: Record<IdxType, [number, number, boolean]> = {
  uint8: [0, 255, true],
  int8: [-128, 127, true],
  int16: [-32768, 32767, true],
  int32: [-(2 ** 31), 2 ** 31 - 1, true],
  float32: [-10, 10, false],
  float64: [-1e6, 1e6, false],
};

function randomValues(type: IdxType, n: number, rng: Rng): number[] {
  const [lo, hi, integer] = RANGES[type];
  return Array.from({ length: n }, () => {
    const v = lo + rng.uniform() * (hi - lo);
    return integer ? Math.floor(v) : type === 'float32' ? Math.fround(v) : v;
  });
}

describe('IDX files', () => {
  it('has the MNIST magic numbers', () => {
    expect(idxMagic('uint8', 3)).toBe(2051);
    expect(idxMagic('uint8', 1)).toBe(2049);
  });

  for (const type of Object.keys(RANGES) as IdxType[]) {
    it(`round-trips ${type} values with a big-endian header`, () => {
      const values = randomValues(type, 2 * 3 * 4, new Rng(7));
      const bytes = writeIdx({ type, shape: [2, 3, 4], data: values });
      const view = new DataView(bytes.buffer);
      expect(view.getUint32(0)).toBe(idxMagic(type, 3));
      expect([view.getUint32(4), view.getUint32(8), view.getUint32(12)]).toEqual([2, 3, 4]);
      const back = readIdx(bytes);
      expect(back.type).toBe(type);
      expect(back.shape).toEqual([2, 3, 4]);
      expect(Array.from(back.data)).toEqual(values);
    });
  }

  it('rejects a bad magic number and truncated data, naming the file', () => {
    const bytes = writeIdx({ type: 'uint8', shape: [4, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] });
    const bad = bytes.slice();
    bad[2] = 0x42;
    expect(() => readIdx(bad, 'x.idx')).toThrow(DatasetError);
    expect(() => readIdx(bad, 'x.idx')).toThrow(/x\.idx: bad magic number/);
    expect(() => readIdx(bytes.subarray(0, bytes.length - 1), 'y.idx')).toThrow(/y\.idx: shape \(4, 2\) needs 20 bytes, the file has 19/);
    expect(() => readIdx(bytes.subarray(0, 6))).toThrow(/header of 2 dims is truncated/);
    expect(() => writeIdx({ type: 'uint8', shape: [3], data: [1, 2] })).toThrow(DatasetError);
  });
});
