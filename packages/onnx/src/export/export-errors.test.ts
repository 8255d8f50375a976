import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential } from '@puzzle/containers';
import { Activation, Gelu, Linear, Module, Reshape, type Data } from '@puzzle/modules';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxError } from '../onnx-error.js';
import { exportOnnx } from './export-onnx.js';

/** A module Puzzle runs but the exporter knows nothing of. */
class Doubler extends Module {
  protected updateData(data: Data): Data {
    return data;
  }
  protected updateGrad(grad: Data): Data {
    return grad;
  }
}

/** A subclass of a supported module may compute something else: it is refused too. */
class ScaledLinear extends Linear {}

const dir = mkdtempSync(join(tmpdir(), 'puzzle-onnx-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportOnnx: what it refuses', () => {
  it('an unsupported module: an OnnxError naming the module and its path, and no file', async () => {
    const inner = new Sequential('inner').append(new Linear(4, 4)).append(new Doubler('twice'));
    const net = new Sequential().append(new Linear(3, 4)).append(inner);
    const path = join(dir, 'never.onnx');
    const failure = exportOnnx(net, { inputs: { shape: [2, 3] }, path });
    await expect(failure).rejects.toThrow(OnnxError);
    await expect(failure).rejects.toThrow(/Doubler 'twice' at 'inner\.twice' cannot be exported: ONNX export supports .*Linear/);
    expect(existsSync(path)).toBe(false);
    net.dispose();
  });

  it('a subclass of a supported module', async () => {
    const net = new ScaledLinear(3, 2);
    await expect(exportOnnx(net, { inputs: { shape: [2, 3] } })).rejects.toThrow(/ScaledLinear at the root of the net cannot be exported/);
    net.dispose();
  });

  it('inputs that do not fit the net, naming the module that rejects them', async () => {
    const net = new Sequential().append(new Linear(3, 4)).append(new Linear(5, 2));
    await expect(exportOnnx(net, { inputs: { shape: [2, 3] } })).rejects.toThrow(/Linear '1' at '1' does not take its input: .*input width 5/);
    net.dispose();
  });

  it('a module that pins the batch size, unless the batch is declared fixed', async () => {
    const net = new Sequential().append(new Reshape([2, -1, 3])).append(new Activation('relu'));
    await expect(exportOnnx(net, { inputs: { shape: [2, 5, 3] } })).rejects.toThrow(/Reshape '0' at '0' does not take its input at another batch size \(export with dynamicBatch: false\)/);
    await expect(exportOnnx(net, { inputs: { shape: [2, 5, 3] }, dynamicBatch: false })).resolves.toBeInstanceOf(Uint8Array);
    net.dispose();
  });

  it('an opset outside 13..25, and Gelu before opset 20', async () => {
    const net = new Gelu();
    await expect(exportOnnx(net, { inputs: { shape: [2, 3] }, opset: 12 })).rejects.toThrow(/opset 12 is not supported \(13 to 25\)/);
    await expect(exportOnnx(net, { inputs: { shape: [2, 3] }, opset: 17 })).rejects.toThrow(/Gelu at the root of the net: ONNX has Gelu from opset 20/);
    net.dispose();
  });

  it('bad input declarations and output names', async () => {
    const net = new Linear(3, 2);
    await expect(exportOnnx(net, { inputs: { shape: [0, 3] } })).rejects.toThrow(/input 0 has shape \[0, 3\]/);
    await expect(exportOnnx(net, { inputs: { shape: [2, 3] }, outputNames: ['a', 'b'] })).rejects.toThrow(/the net has 1 outputs, outputNames lists 2/);
    await expect(exportOnnx(net, { inputs: { shape: [2, 3], name: 'x' }, outputNames: ['x'] })).rejects.toThrow(/output name 'x' is used twice/);
    net.dispose();
  });
});
