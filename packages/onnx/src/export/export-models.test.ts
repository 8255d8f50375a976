import { HostArray } from '@puzzle/backend';
import type { Module } from '@puzzle/modules';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { exportModel, exportOnnx, type ExportOptions } from './export-onnx.js';
import { checkExport } from '../test-support/check-export.js';
import { branchy, mlp, parallel, resnet, unet } from '../test-support/nets.js';
// The MNIST LeNet of the docs, which docs/examples/onnx-export.ts trains and exports.
import { lenet } from '../../../../docs/examples/shared/lenet.js';

interface NetCase {
  name: string;
  make: () => Module;
  /** Input shapes at export (batch 2); the run uses batch 5. */
  shapes: number[][];
}

const NETS: NetCase[] = [
  { name: 'LeNet', make: lenet, shapes: [[2, 1, 28, 28]] },
  { name: 'an MLP', make: mlp, shapes: [[2, 20]] },
  { name: 'a small ResNet', make: resnet, shapes: [[2, 3, 16, 16]] },
  { name: 'a UNet with Deconv2D and Concat', make: unet, shapes: [[2, 3, 16, 16]] },
  { name: 'a Graph with Split, Concat and Replicate', make: branchy, shapes: [[2, 8]] },
  { name: 'a Parallel of two branches', make: parallel, shapes: [[2, 6], [2, 3]] },
];

const options = (c: NetCase): ExportOptions => ({ inputs: c.shapes.map((shape) => ({ shape })) });
const feeds = (c: NetCase) => c.shapes.map((s, i) => HostArray.randn([5, ...s.slice(1)], { seed: 20 + i }));

describeEngines('exportOnnx: whole nets, run by onnxruntime', () => {
  for (const c of NETS) {
    it(`${c.name}: exported at batch 2, matches Puzzle's eval-mode output at batch 5`, async () => {
      await checkExport(c.make, options(c), feeds(c), c.name);
    });
  }

  it('names initializers as getVarTable names the variables, stores each once, and declares a symbolic batch', () => {
    const net = resnet();
    const { graph } = exportModel(net, options(NETS[2]!));
    const varNames = [...net.getVarTable().values()].map((names) => names[0]!);
    const initializers = graph!.initializer!.map((t) => t.name!);
    expect(initializers.filter((n) => varNames.includes(n)).sort()).toEqual([...varNames].sort());
    expect(new Set(initializers).size).toBe(initializers.length);
    const dims = (v: { type?: { tensor_type?: { shape?: { dim?: { dim_param?: string; dim_value?: number }[] } } } }) => v.type!.tensor_type!.shape!.dim!;
    expect(dims(graph!.input![0]!)).toEqual([{ dim_param: 'batch' }, { dim_value: 3 }, { dim_value: 16 }, { dim_value: 16 }]);
    expect(dims(graph!.output![0]!)).toEqual([{ dim_param: 'batch' }, { dim_value: 10 }]);
    net.dispose();
  });

  for (const opset of [13, 25]) {
    it(`an MLP at opset ${opset}, the oldest and newest supported`, async () => {
      await checkExport(mlp, { ...options(NETS[1]!), opset }, feeds(NETS[1]!), `MLP at opset ${opset}`);
    });
  }

  it('leaves the net in the mode it was in', async () => {
    const net = mlp();
    await exportOnnx(net, options(NETS[1]!));
    expect(net.train).toBe(true);
    net.dispose();
  });
});
