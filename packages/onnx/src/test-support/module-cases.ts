import { HostArray, type DType } from '@puzzle/backend';
import * as m from '@puzzle/modules';

/** One module exported on its own: how to build it, its inputs at export (batch 2), the opset if not the default. */
export interface ModuleCase {
  name: string;
  make: () => m.Module;
  inputs: { shape: number[]; dtype?: DType }[];
  opset?: number;
}

const f = (...shape: number[]) => ({ shape: [2, ...shape] });

/** Every exportable module class, with the options that change what it computes. */
export const MODULE_CASES: ModuleCase[] = [
  { name: 'Linear', make: () => new m.Linear(7, 5), inputs: [f(7)] },
  { name: 'Linear transposed, no bias', make: () => new m.Linear(7, 5, { transpose: true, useBias: false }), inputs: [f(7)] },
  { name: 'Embedder (index −1 is a zero row)', make: () => new m.Embedder(10, 4, 3), inputs: [{ shape: [2, 4], dtype: 'int32' }] },
  { name: 'Conv1D groups, dilation, pad, stride', make: () => new m.Conv1D(4, 6, 3, { groups: 2, dilation: 2, pad: 2, stride: 2 }), inputs: [f(4, 11)] },
  { name: 'Conv2D per-axis geometry, groups', make: () => new m.Conv2D(4, 6, [3, 2], { stride: [2, 1], pad: [1, 0], dilation: [1, 2], groups: 2 }), inputs: [f(4, 7, 6)] },
  { name: 'Deconv2D stride, pad, postpad, groups', make: () => new m.Deconv2D(4, 6, 3, { stride: 2, pad: 1, postpad: 1, groups: 2 }), inputs: [f(4, 5, 4)] },
  { name: 'Deconv2D dilation, no bias', make: () => new m.Deconv2D(3, 2, [2, 3], { dilation: [2, 1], useBias: false }), inputs: [f(3, 4, 5)] },
  { name: 'MaxPool2D', make: () => new m.MaxPool2D({ size: 3, stride: 2, pad: 1 }), inputs: [f(3, 7, 8)] },
  { name: 'MaxPool1D', make: () => new m.MaxPool1D({ size: 3, stride: 2, pad: 1 }), inputs: [f(3, 9)] },
  { name: 'AvgPool2D with pad', make: () => new m.AvgPool2D({ size: 3, stride: 2, pad: 1 }), inputs: [f(3, 7, 8)] },
  { name: 'AvgPool2D without pad', make: () => new m.AvgPool2D({ size: [2, 3], stride: [1, 2], pad: [1, 1], includePad: false }), inputs: [f(2, 5, 7)] },
  { name: 'AvgPool1D', make: () => new m.AvgPool1D({ size: 3, stride: 1, pad: 1, includePad: false }), inputs: [f(3, 6)] },
  { name: 'BatchNorm', make: () => new m.BatchNorm(6), inputs: [f(6)] },
  { name: 'BatchNorm1D', make: () => new m.BatchNorm1D(4, { epsilon: 1e-3 }), inputs: [f(4, 7)] },
  { name: 'BatchNorm2D', make: () => new m.BatchNorm2D(3), inputs: [f(3, 4, 5)] },
  { name: 'BatchNorm3D', make: () => new m.BatchNorm3D(2), inputs: [f(2, 3, 4, 5)] },
  { name: 'InstanceNorm2D', make: () => new m.InstanceNorm2D(3, { epsilon: 1e-4 }), inputs: [f(3, 4, 5)] },
  { name: 'Activation sigmoid', make: () => new m.Activation('sigmoid'), inputs: [f(3, 4)] },
  { name: 'Activation tanh', make: () => new m.Activation('tanh'), inputs: [f(3, 4)] },
  { name: 'Activation relu', make: () => new m.Activation('relu'), inputs: [f(3, 4)] },
  { name: 'Activation leakyRelu', make: () => new m.Activation('leakyRelu', { args: [0.3] }), inputs: [f(3, 4)] },
  { name: 'Activation elu', make: () => new m.Activation('elu', { args: [0.7] }), inputs: [f(3, 4)] },
  { name: 'Activation softPlus', make: () => new m.Activation('softPlus'), inputs: [f(3, 4)] },
  { name: 'Activation clip', make: () => new m.Activation('clip', { args: [-0.5, 0.8] }), inputs: [f(3, 4)] },
  { name: 'Gelu (opset 20)', make: () => new m.Gelu(), inputs: [f(3, 4)], opset: 20 },
  { name: 'SoftMax on (N, C)', make: () => new m.SoftMax(), inputs: [f(5)] },
  { name: 'SoftMax on (N, C, H, W)', make: () => new m.SoftMax(), inputs: [f(4, 3, 2)] },
  { name: 'PRelu per map', make: () => new m.PRelu(3), inputs: [f(3, 4, 4)] },
  { name: 'PRelu shared', make: () => new m.PRelu(5, { sharedMaps: true }), inputs: [f(5)] },
  { name: 'Reshape with 0 and −1', make: () => new m.Reshape([0, -1, 4]), inputs: [f(3, 4, 2)] },
  { name: 'Flatten', make: () => new m.Flatten(), inputs: [f(3, 4, 5)] },
  { name: 'Transpose', make: () => new m.Transpose([0, 2, 3, 1]), inputs: [f(3, 4, 5)] },
  { name: 'SwapAxes', make: () => new m.SwapAxes(1, 3), inputs: [f(3, 4, 5)] },
  { name: 'MoveAxis', make: () => new m.MoveAxis(1, 3), inputs: [f(3, 4, 5)] },
  { name: 'Slice ranges and indices', make: () => new m.Slice([null, [1, 3], 2, [-3, -1]]), inputs: [f(4, 5, 6)] },
  { name: 'Tile', make: () => new m.Tile(1, 3), inputs: [f(2, 3)] },
  { name: 'Concat', make: () => new m.Concat(1), inputs: [f(3, 4), f(5, 4)] },
  { name: 'Split', make: () => new m.Split(2, [1, 3]), inputs: [f(3, 4)] },
  { name: 'Add of three', make: () => new m.Add(), inputs: [f(3, 4), f(3, 4), f(3, 4)] },
  { name: 'Mul of three', make: () => new m.Mul(), inputs: [f(3, 4), f(3, 4), f(3, 4)] },
  { name: 'Sum over an axis', make: () => new m.Sum(1, { useWeights: false }), inputs: [f(4, 5)] },
  { name: 'Sum with weights', make: () => new m.Sum(2), inputs: [f(3, 4, 5), f(3, 4)] },
  { name: 'Replicate', make: () => new m.Replicate(2), inputs: [f(3, 4)] },
  { name: 'Identity', make: () => new m.Identity(), inputs: [f(3, 4)] },
  { name: 'Dropout', make: () => new m.Dropout(0.3), inputs: [f(3, 4)] },
  { name: 'Dropout2D', make: () => new m.Dropout2D(0.2), inputs: [f(3, 4, 5)] },
  { name: 'MulAddConst', make: () => new m.MulAddConst(2.5, -1), inputs: [f(3, 4)] },
  { name: 'Cast to float16', make: () => new m.Cast('float32', 'float16'), inputs: [f(3, 4)] },
  { name: 'Pad1D constant', make: () => new m.Pad1D([1, 2], { fillValue: 1.5 }), inputs: [f(3, 4)] },
  { name: 'Pad1D reflect', make: () => new m.Pad1D([2, 1], { mode: 'reflect' }), inputs: [f(3, 4)] },
  { name: 'Pad2D constant', make: () => new m.Pad2D([1, 2, 0, 3], { fillValue: -2 }), inputs: [f(2, 3, 4)] },
  { name: 'Pad2D reflect', make: () => new m.Pad2D(1, { mode: 'reflect' }), inputs: [f(2, 3, 4)] },
  { name: 'Upsample2D nearest', make: () => new m.Upsample2D(2), inputs: [f(2, 3, 4)] },
  { name: 'Upsample2D linear', make: () => new m.Upsample2D([2, 3], { mode: 'linear' }), inputs: [f(2, 3, 4)] },
];

/** Seeded inputs at another batch size: normal floats, int32 indices in [−1, 10) (−1 is the Embedder's zero row). */
export function feedsFor(c: ModuleCase, batch: number, seed: number): HostArray[] {
  return c.inputs.map(({ shape, dtype }, i) => {
    const at = [batch, ...shape.slice(1)];
    if (dtype !== 'int32') return HostArray.randn(at, { seed: seed + i });
    const u = HostArray.rand(at, { seed: seed + i, low: -1, high: 10 });
    return HostArray.from(Array.from(u.data, Math.floor), { shape: at, dtype: 'int32' });
  });
}
