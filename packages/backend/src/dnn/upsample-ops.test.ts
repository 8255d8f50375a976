import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray } from '../index.js';

/** Source cells and weights of one upsampled coordinate, written from PuzzleLib's description. */
function taps(o: number, len: number, scale: number, mode: 'nearest' | 'linear'): [number, number][] {
  if (mode === 'nearest') return [[Math.floor(o / scale), 1]];
  const out = len * scale;
  const src = out > 1 && len > 1 ? ((len - 1) / (out - 1)) * o : 0;
  const lo = Math.floor(src);
  return [
    [lo, 1 - (src - lo)],
    [Math.min(lo + 1, len - 1), src - lo],
  ];
}

/** Float64 upsampling of (maps, ...spatial) and its adjoint, by explicit loops over output cells. */
function upsample64(x: Float64Array, g: Float64Array, maps: number, spatial: number[], scales: number[], mode: 'nearest' | 'linear') {
  const outDims = spatial.map((d, i) => d * scales[i]!);
  const [inSize, outSize] = [spatial, outDims].map((s) => s.reduce((p, d) => p * d, 1));
  const y = new Float64Array(maps * outSize!);
  const dx = new Float64Array(maps * inSize!);
  for (let cell = 0; cell < outSize!; cell++) {
    // Decompose the output cell into coordinates, then combine the taps of every axis.
    const coords = outDims.map((_, i) => Math.floor(cell / outDims.slice(i + 1).reduce((p, d) => p * d, 1)) % outDims[i]!);
    let combos: [number, number][] = [[0, 1]];
    coords.forEach((o, i) => {
      combos = combos.flatMap(([idx, w]) => taps(o, spatial[i]!, scales[i]!, mode).map(([t, tw]): [number, number] => [idx * spatial[i]! + t, w * tw]));
    });
    for (let m = 0; m < maps; m++) {
      for (const [idx, w] of combos) {
        y[m * outSize! + cell]! += w * x[m * inSize! + idx]!;
        dx[m * inSize! + idx]! += w * g[m * outSize! + cell]!;
      }
    }
  }
  return { y, dx };
}

describeEngines('Dnn.upsample', () => {
  const cases = [
    { shape: [3, 4, 5, 6], scale: 2, mode: 'nearest' as const },
    { shape: [3, 2, 4, 4], scale: [2, 3], mode: 'linear' as const },
    { shape: [2, 2, 1, 3], scale: [3, 2], mode: 'linear' as const },
    { shape: [2, 2, 2, 2, 2], scale: 2, mode: 'nearest' as const },
    { shape: [1, 2, 3, 2, 4], scale: [2, 3, 2], mode: 'linear' as const },
  ];
  for (const { shape, scale, mode } of cases) {
    it(`${mode} ×${JSON.stringify(scale)} on (${shape.join(', ')}): forward and adjoint`, () => {
      expectNoLeak(() => {
        const k = shape.length - 2;
        const scales = typeof scale === 'number' ? new Array<number>(k).fill(scale) : scale;
        const x = randomData(shape, 1);
        const X = gpuarray.toGpu(x.host);
        const Y = k === 2 ? Dnn.upsample2d(X, scale as number, mode) : Dnn.upsample3d(X, scale as number, mode);
        const g = randomData([...Y.shape], 2);
        const G = gpuarray.toGpu(g.host);
        const dX = k === 2 ? Dnn.upsample2dBackward(G, scale as number, mode) : Dnn.upsample3dBackward(G, scale as number, mode);
        const ref = upsample64(x.f64, g.f64, shape[0]! * shape[1]!, shape.slice(2), scales, mode);
        expect(Y.shape).toEqual(shape.map((d, i) => (i < 2 ? d : d * scales[i - 2]!)));
        expectClose(Y.get().data, ref.y, TOLERANCES.float32, 'upsampled');
        expectClose(dX.get().data, ref.dx, TOLERANCES.float32, 'adjoint');
        for (const a of [X, Y, G, dX]) a.dispose();
      });
    });
  }

  it('rejects bad scales, ranks and grads not divisible by the scale', () => {
    const X = gpuarray.zeros([1, 2, 3, 5]);
    expectNoLeak(() => {
      expect(() => Dnn.upsample2d(X, 0)).toThrow(BackendError);
      expect(() => Dnn.upsample2d(X, 1.5)).toThrow(/upsample2d.*scale/);
      expect(() => Dnn.upsample3d(X)).toThrow(/upsample3d.*5-D.*\(1, 2, 3, 5\)/);
      expect(() => Dnn.upsample2dBackward(X, 2)).toThrow(/\(1, 2, 3, 5\).*not divisible/);
    });
    X.dispose();
  });
});
