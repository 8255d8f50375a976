import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, conv64, describeEngines, expectClose, randomData, TOLERANCES, toF64 } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Conv1D } from './conv1d.js';

describeEngines('Conv1D', () => {
  const make = () => {
    const conv = new Conv1D(4, 3, 2, { stride: 2, pad: 2, dilation: 2, initscheme: 'gaussian', name: 'c' });
    conv.b!.set(randomData([1, 3, 1, 1], 1).host);
    return conv;
  };

  it('forward on (N, C, L) matches a float64 convolution with a (1, k) window', () => {
    const conv = make();
    expect(conv.W.shape).toEqual([3, 4, 1, 2]);
    const x = randomData([5, 4, 7], 2);
    const xd = gpuarray.toGpu(x.host);
    const out = conv.call(xd) as GPUArray;
    const g = { stride: [1, 2] as [number, number], pad: [0, 2] as [number, number], dilation: [1, 2] as [number, number], groups: 1 };
    const ref = conv64(x.f64, [5, 4, 1, 7], toF64(conv.W.get()), conv.W.shape, toF64(conv.b!.get()), g);
    expect(out.shape).toEqual([5, 3, ref.shape[3]]);
    expect(conv.dataShapeFrom([5, 4, 7])).toEqual(out.shape);
    expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32, 'conv1d output');
    conv.dispose();
    xd.dispose();
  });

  it('backward (input, W, b) matches finite differences', () => {
    const conv = make();
    checkModuleGradients(conv, [HostArray.randn([3, 4, 6], { seed: 3 })]);
    conv.dispose();
  });

  it('rejects 4-D input naming the 1-D layout', () => {
    const conv = make();
    const x = gpuarray.zeros([2, 4, 1, 7]);
    expect(() => conv.call(x)).toThrow(/Conv1D 'c'.*3-D input \(N, C, L\).*\(2, 4, 1, 7\)/);
    x.dispose();
    conv.dispose();
  });
});
