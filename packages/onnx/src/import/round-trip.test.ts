import { HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { checkRoundTrip } from '../test-support/check-round-trip.js';
import { feedsFor, MODULE_CASES } from '../test-support/module-cases.js';
import { branchy, mlp, parallel, resnet, unet } from '../test-support/nets.js';
// The MNIST LeNet of the docs, which docs/examples/onnx-export.ts trains and exports.
import { lenet } from '../../../../docs/examples/shared/lenet.js';

const NETS = [
  { name: 'LeNet', make: lenet, shape: [2, 1, 28, 28], as: 'Sequential' },
  { name: 'an MLP', make: mlp, shape: [2, 20], as: 'Sequential' },
  { name: 'a small ResNet', make: resnet, shape: [2, 3, 16, 16], as: 'Graph' },
  { name: 'a UNet', make: unet, shape: [2, 3, 16, 16], as: 'Graph' },
  { name: 'a Graph with Split, Concat and Replicate', make: branchy, shape: [2, 8], as: 'Graph' },
];

describeEngines('importOnnx: export, import, the same net', () => {
  for (const c of NETS) {
    it(`${c.name}: the same outputs and parameters, as a ${c.as}`, async () => {
      const feeds = [HostArray.randn([4, ...c.shape.slice(1)], { seed: 9 })];
      expect(await checkRoundTrip(c.make, { inputs: { shape: c.shape } }, feeds, c.name)).toBe(c.as);
    });
  }

  it('a Parallel of two branches: a Graph of two inputs and two outputs, the same outputs and parameters', async () => {
    const feeds = [HostArray.randn([4, 6], { seed: 1 }), HostArray.randn([4, 3], { seed: 2 })];
    expect(await checkRoundTrip(parallel, { inputs: [{ shape: [2, 6] }, { shape: [2, 3] }] }, feeds, 'Parallel')).toBe('Graph');
  });

  for (const c of MODULE_CASES) {
    it(`${c.name}: the same outputs and parameters`, async () => {
      // In a Sequential, so its variables are named '0.W' ... both ways (a bare module's are just 'W').
      const make = () => new Sequential().append(c.make());
      await checkRoundTrip(make, { inputs: c.inputs, opset: c.opset }, feedsFor(c, 3, 8), c.name);
    });
  }
});
