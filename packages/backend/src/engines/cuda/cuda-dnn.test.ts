// What only the cuda dnn ops have, checked without a GPU: the op set matches the tfjs engine's, the built addon
// exports every entry they call, and each op hands the addon the right addresses and geometry (a recording fake
// addon stands in for the device). The numerical conformance tests are the shared Dnn tests (src/dnn/*.test.ts).
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { skipNote } from '@puzzle/testing';
import { getFloat32MatmulPrecision, setFloat32MatmulPrecision, type Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import { BackendError } from '../../errors.js';
import { tfjsFactory } from '../tfjs/tfjs-factory.js';
import { addonPath, loadAddon } from './addon-loader.js';
import { CODES } from './cuda-addon.js';
import { cudaDnn, type CudaDnnOps } from './cuda-dnn.js';
import { CudaEngine } from './cuda-engine.js';
import { address, recordingAddon, ref, type Call } from './test-support/recording-addon.js';

const numbers = (value: unknown): number[] => Array.from(value as Float64Array);

describe('cuda dnn op set', () => {
  it('implements every Dnn op the tfjs engine implements', () => {
    const cuda = Object.keys(cudaDnn(recordingAddon().addon)).sort();
    const tfjs = Object.keys(tfjsFactory.create().dnn ?? {}).sort();
    expect(tfjs.length).toBeGreaterThan(0);
    expect(tfjs.filter((name) => !cuda.includes(name))).toEqual([]);
  });

  it.skipIf(!existsSync(addonPath()))(`finds every native entry it calls in the built addon${skipNote(!existsSync(addonPath()), 'puzzle_cuda.node is not built (npm run build:native, where nvcc is installed)')}`, () => {
    const load = loadAddon();
    if (!load.ok) expect.fail(load.reason);
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    const x = ref([2, 4, 6, 6]);
    const w = ref([4, 4, 3, 3]);
    const y = ref([2, 4, 4, 4]);
    const conv = { stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 };
    const acc = { scale: 1, momentum: 0 };
    const vec = ref([4]);
    dnn.convNd(x, w, vec, y, conv);
    dnn.convNdBackwardData(y, w, x, conv);
    dnn.convNdBackwardParams(x, y, w, vec, conv, acc);
    dnn.poolNd(x, y, { size: [3, 3], stride: [1, 1], pad: [0, 0], mode: 'max' });
    dnn.poolNdBackward(x, y, y, x, { size: [3, 3], stride: [1, 1], pad: [0, 0], mode: 'max' });
    dnn.softmaxNd(x, x);
    dnn.softmaxNdBackward(x, x, x);
    dnn.batchNormNd({ x, scale: vec, bias: vec, mean: vec, var: vec, out: x, epsilon: 1e-5 });
    dnn.batchNormNdBackward({ x, grad: x, scale: vec, savemean: vec, saveinvvar: vec, ingrad: x, scalegrad: vec, biasgrad: vec });
    dnn.reflectPad(y, x, [[1, 1], [1, 1]]);
    dnn.reflectPadBackward(x, y, [[1, 1], [1, 1]]);
    dnn.upsample({ x: y, out: ref([2, 4, 8, 8]), scales: [2, 2], mode: 'linear' });
    dnn.upsampleBackward({ x: ref([2, 4, 8, 8]), out: y, scales: [2, 2], mode: 'linear' });
    dnn.transpose(x, ref([4, 2, 6, 6]), [1, 0, 2, 3]);
    dnn.prelu(x, vec, x);
    dnn.preluBackwardData(x, vec, x, x);
    dnn.preluBackwardParams(x, x, vec, 1, 0);
    dnn.embed(ref([2, 3], 'int32'), ref([5, 4]), ref([2, 3, 4]));
    dnn.embedBackwardParams(ref([2, 3], 'int32'), ref([2, 3, 4]), ref([5, 4]), 1, 1);
    const native = load.addon as unknown as Record<string, unknown>;
    const missing = [...new Set(calls.map((c) => c.name))].filter((name) => typeof native[name] !== 'function');
    expect(missing).toEqual([]);
  });
});

describe('cuda dnn arguments', () => {
  it('packs a grouped, strided, dilated 2-D convolution as a 3-axis problem and adds the bias', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon, { matmulPrecision: () => 'high' });
    const [x, w, bias, out] = [ref([2, 4, 7, 9]), ref([6, 2, 3, 3]), ref([6]), ref([2, 6, 4, 5])];
    dnn.convNd(x, w, bias, out, { stride: [2, 1], pad: [1, 0], dilation: [1, 2], groups: 2 });
    expect(calls.map((c) => c.name)).toEqual(['convForward', 'addChannelBias']);
    const [dtype, xa, wa, ya, shape, precision] = calls[0]!.args;
    expect([dtype, xa, wa, ya, precision]).toEqual([CODES.dtype.float32, address(x), address(w), address(out), CODES.matmulPrecision.high]);
    // [N, Cin, Cout, groups, in, out, kernel, stride, pad, dilation], each spatial list led by a neutral axis.
    expect(numbers(shape)).toEqual([2, 4, 6, 2, 1, 7, 9, 1, 4, 5, 1, 3, 3, 1, 2, 1, 0, 1, 0, 1, 1, 2]);
    expect(calls[1]!.args).toEqual([CODES.dtype.float32, address(out), address(bias), 2, 6, 20]);
  });

  it('runs a deconvolution as the data gradient of the convolution it transposes', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    // deconv W (Cin 6, Cout/groups 2, 3, 3) with 2 groups: 6 maps of 3×3 → 4 maps of 7×7 (stride 2, postpad 0).
    const [x, w, out] = [ref([1, 6, 3, 3]), ref([6, 2, 3, 3]), ref([1, 4, 7, 7])];
    const geom = { stride: [2, 2], pad: [0, 0], dilation: [1, 1], groups: 2, postpad: [0, 0] };
    dnn.deconvNd(x, w, null, out, geom);
    dnn.deconvNdBackwardData(out, w, x, geom);
    dnn.deconvNdBackwardParams(x, out, w, ref([4]), geom, { scale: 0.5, momentum: 1 });
    expect(calls.map((c) => c.name)).toEqual(['convBackwardData', 'convForward', 'convBackwardParams', 'channelSums']);
    const convOf = (c: Call) => numbers(c.args[4]).slice(0, 10);
    // The transposed convolution reads the deconv output (4 maps, 7×7) and writes the deconv input (6 maps, 3×3).
    for (const c of calls.slice(0, 3)) expect(convOf(c)).toEqual([1, 4, 6, 2, 1, 7, 7, 1, 3, 3]);
    expect(calls[0]!.args.slice(1, 4)).toEqual([address(x), address(w), address(out)]);
    expect(calls[2]!.args.slice(1, 4)).toEqual([address(out), address(x), address(w)]);
    expect(calls[2]!.args.slice(5, 7)).toEqual([0.5, 1]);
    // The bias gradient sums the deconv output gradient over its 4 maps.
    expect(calls[3]!.args.slice(3)).toEqual([1, 4, 49, 0.5, 1]);
  });

  it('rejects inconsistent convolution shapes before any native call', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    const geom = { stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 };
    expect(() => dnn.convNd(ref([1, 3, 5, 5]), ref([2, 4, 3, 3]), null, ref([1, 2, 3, 3]), geom)).toThrow(BackendError);
    expect(() => dnn.convNd(ref([1, 3, 5, 5]), ref([2, 4, 3, 3]), null, ref([1, 2, 3, 3]), geom)).toThrow(/cuda\.convNd: inconsistent convolution/);
    expect(calls).toEqual([]);
  });

  it('describes pads, upsampling and pooling by their small side, with codes for the modes', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    dnn.reflectPadBackward(ref([2, 3, 10]), ref([2, 3, 7]), [[2, 1]]);
    dnn.upsampleBackward({ x: ref([2, 3, 8, 6]), out: ref([2, 3, 4, 3]), scales: [2, 2], mode: 'nearest' });
    dnn.poolNd(ref([2, 3, 8, 8]), ref([2, 3, 4, 4]), { size: [2, 2], stride: [2, 2], pad: [0, 0], mode: 'avgNoPad' });
    expect(numbers(calls[0]!.args[3])).toEqual([6, 1, 1, 7, 0, 0, 2, 0, 0, 1]);
    expect(calls[1]!.args[0]).toBe(CODES.upsample.nearest);
    expect(numbers(calls[1]!.args[4])).toEqual([6, 1, 4, 3, 1, 2, 2]);
    expect(calls[2]!.args[0]).toBe(CODES.pool.avgNoPad);
    expect(numbers(calls[2]!.args[4])).toEqual([6, 1, 8, 8, 1, 4, 4, 1, 2, 2, 1, 2, 2, 0, 0, 0]);
  });

  it('views PRelu data as (N, C, S) and flags a single shared slope', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    const x = ref([2, 3, 4, 5]);
    dnn.prelu(x, ref([3]), x);
    dnn.prelu(x, ref([1]), x);
    dnn.preluBackwardParams(x, x, ref([1]), 2, 0);
    expect(calls[0]!.args.slice(4)).toEqual([2, 3, 20, 0]);
    expect(calls[1]!.args.slice(4)).toEqual([2, 3, 20, 1]);
    expect(calls[2]!.args.slice(4)).toEqual([2, 3, 20, 1, 2, 0]);
  });

  it('transposes through a strided copy from the permuted source strides', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    dnn.transpose(ref([2, 3, 4], 'int32'), ref([4, 2, 3], 'int32'), [2, 0, 1]);
    expect(calls[0]!.name).toBe('copy');
    expect(numbers(calls[0]!.args[3])).toEqual([3, 4, 2, 3, 6, 3, 1, 1, 12, 4]);
  });

  it('reports a native failure as a BackendError naming the op', () => {
    const dnn = cudaDnn(recordingAddon('softmax').addon);
    const x = ref([2, 5]);
    expect(() => dnn.softmaxNd(x, x)).toThrow(BackendError);
    expect(() => dnn.softmaxNd(x, x)).toThrow(/cuda\.softmaxNd.*illegal memory access/);
  });
});

describe('cuda convolution precision', () => {
  const processPrecision = getFloat32MatmulPrecision();
  afterEach(() => setFloat32MatmulPrecision(processPrecision));

  /** The precision code each of the three gemm entries receives (its last argument) for one conv step on `dnn`. */
  function precisionCodes(dnn: CudaDnnOps, calls: Call[]): Record<string, unknown> {
    const [x, w, y] = [ref([2, 3, 5, 5]), ref([4, 3, 3, 3]), ref([2, 4, 3, 3])];
    const geom = { stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 };
    calls.length = 0;
    dnn.convNd(x, w, null, y, geom);
    dnn.convNdBackwardData(y, w, x, geom);
    dnn.convNdBackwardParams(x, y, w, null, geom, { scale: 1, momentum: 0 });
    return Object.fromEntries(calls.map((c) => [c.name, c.args.at(-1)]));
  }

  const everyEntry = (precision: Float32MatmulPrecision) => {
    const code = CODES.matmulPrecision[precision];
    return { convForward: code, convBackwardData: code, convBackwardParams: code };
  };

  it('hands every convolution entry the process-wide precision current at the call', () => {
    const { addon, calls } = recordingAddon();
    const dnn = cudaDnn(addon);
    for (const precision of ['highest', 'high', 'medium'] as const) {
      setFloat32MatmulPrecision(precision);
      expect(precisionCodes(dnn, calls), precision).toEqual(everyEntry(precision));
    }
  });

  it('keeps the precision an engine was created with, whatever the process-wide setting', () => {
    const { addon, calls } = recordingAddon();
    const pinned = new CudaEngine(addon, { matmulPrecision: 'medium' });
    const following = new CudaEngine(addon);
    setFloat32MatmulPrecision('high');
    expect(precisionCodes(pinned.dnn as CudaDnnOps, calls)).toEqual(everyEntry('medium'));
    expect(precisionCodes(following.dnn as CudaDnnOps, calls)).toEqual(everyEntry('high'));
  });
});
