import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BatchNorm } from './batch-norm.js';
import { BatchNorm2D } from './batch-norm-nd.js';
import { Concat } from './concat.js';
import { Conv2D } from './conv2d.js';
import { Embedder } from './embedder.js';
import { ModuleError } from './errors.js';
import { InstanceNorm2D } from './instance-norm2d.js';
import { Linear } from './linear.js';
import { MulAddConst } from './mul-add-const.js';
import { PRelu } from './prelu.js';

describeEngines('Argument checks of modules', () => {
  it('a HostArray passed to call or backward names the slip (it was "data is not iterable")', () => {
    const lin = new Linear(4, 2);
    const host = HostArray.randn([3, 4]);
    expect(() => lin.call(host as never)).toThrow(ModuleError);
    expect(() => lin.call(host as never)).toThrow(
      /^Linear: call\(\) expects data as a GPUArray or a list of them, got a HostArray \(3, 4\) float32 \(upload host data with gpuarray\.toGpu\(host\)\)$/,
    );
    expect(() => lin.call([gpuarray.zeros([3, 4]), undefined] as never)).toThrow(/got undefined$/);
    const x = gpuarray.toGpu(host);
    lin.call(x);
    expect(() => lin.backward(HostArray.randn([3, 2]) as never)).toThrow(/^Linear: backward\(\) expects grad as a GPUArray or a list of them, got a HostArray/);
    for (const d of [lin, x]) d.dispose();
  });

  it('sizes that are negative, zero, fractional or strings are ModuleErrors naming module, argument and value, before any allocation', () => {
    const live = liveBuffers();
    expect(() => new Linear(-1, 5)).toThrow(/^Linear: insize must be a positive integer, got -1$/);
    expect(() => new Linear(0, 5)).toThrow(/^Linear: insize must be a positive integer, got 0$/);
    expect(() => new Linear('128' as never, 3)).toThrow(/^Linear: insize must be a positive integer, got '128' \(a string\)$/);
    expect(() => new Linear(4, 2.5, { name: 'fc' })).toThrow(/^Linear 'fc': outsize must be a positive integer, got 2\.5$/);
    expect(() => new Conv2D(0, 3, 3)).toThrow(/^Conv2D: inmaps must be a positive integer, got 0$/);
    expect(() => new BatchNorm2D(-2)).toThrow(/^BatchNorm2D: maps must be a positive integer, got -2$/);
    expect(() => new BatchNorm2D(3, { epsilon: 0 })).toThrow(/^BatchNorm2D: epsilon must be a positive number, got 0$/);
    expect(() => new BatchNorm(0)).toThrow(/^BatchNorm: size must be a positive integer, got 0$/);
    expect(() => new InstanceNorm2D(Number.NaN)).toThrow(/^InstanceNorm2D: numOfMaps must be a positive integer, got NaN$/);
    expect(() => new PRelu(undefined as never)).toThrow(/^PRelu: maps must be a positive integer, got undefined$/);
    expect(() => new Embedder(10, 0, 4)).toThrow(/^Embedder: sentlength must be a positive integer, got 0$/);
    expect(() => new Concat('1' as never)).toThrow(/^Concat: axis must be an integer, got '1' \(a string\)$/);
    expect(() => new MulAddConst(Number.POSITIVE_INFINITY)).toThrow(/^MulAddConst: a must be a finite number, got Infinity$/);
    expect(liveBuffers()).toBe(live);
  });

  it('call or backward after dispose() says so (it was "has no variable \'W\'")', () => {
    const lin = new Linear(4, 2);
    const x = gpuarray.zeros([3, 4]);
    lin.call(x);
    lin.dispose();
    expect(() => lin.call(x)).toThrow(/^Linear: call\(\) after dispose\(\): its variables and buffers were released; build a new module$/);
    expect(() => lin.backward(gpuarray.zeros([3, 2]))).toThrow(/^Linear: backward\(\) after dispose\(\)/);
    x.dispose();
  });
});
