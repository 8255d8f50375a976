import { afterEach, describe, expect, it } from 'vitest';
import { skipNote } from '@puzzle/testing';
import { availableBackends, getBackend, gpuarray, HostArray, setBackend } from '../../index.js';
import { hasTfjsNodeGpu, loadTfjs, requestedTfjsBackend, requestedTfjsThreads } from './tfjs-loader.js';

/** What the engine must run on here: PUZZLE_TFJS_BACKEND, else libtensorflow when installed, else WebAssembly. */
const expectedBackend = requestedTfjsBackend() ?? (hasTfjsNodeGpu() ? 'tensorflow' : 'wasm');
const expectedThreads = expectedBackend === 'wasm' ? requestedTfjsThreads() : 1;
const expectedDevice = expectedThreads > 1 ? `tfjs:${expectedBackend} (${expectedThreads} threads)` : `tfjs:${expectedBackend}`;

describe('tfjs engine selection', () => {
  it('is always available and says which tfjs backend runs', () => {
    expect(availableBackends()).toContain('tfjs');
    setBackend('tfjs');
    expect(getBackend().name).toBe('tfjs');
    expect(getBackend().device).toBe(expectedDevice);
  });

  it('rejects unknown engine names', () => {
    expect(() => setBackend('metal' as never)).toThrow(/unknown engine 'metal'/);
  });

  describe('PUZZLE_TFJS_BACKEND and PUZZLE_TFJS_THREADS', () => {
    const saved = { backend: process.env['PUZZLE_TFJS_BACKEND'], threads: process.env['PUZZLE_TFJS_THREADS'] };
    afterEach(() => {
      for (const [name, value] of [['PUZZLE_TFJS_BACKEND', saved.backend], ['PUZZLE_TFJS_THREADS', saved.threads]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('names wasm, cpu or tensorflow; unset means the automatic choice', () => {
      for (const name of ['wasm', 'cpu', 'tensorflow'] as const) {
        process.env['PUZZLE_TFJS_BACKEND'] = name;
        expect(requestedTfjsBackend()).toBe(name);
      }
      delete process.env['PUZZLE_TFJS_BACKEND'];
      expect(requestedTfjsBackend()).toBeNull();
    });

    it('refuses any other name with a BackendError that names it', () => {
      process.env['PUZZLE_TFJS_BACKEND'] = 'webgl';
      expect(() => requestedTfjsBackend()).toThrow(/PUZZLE_TFJS_BACKEND: unknown tfjs backend 'webgl' \(expected tensorflow, wasm, cpu\)/);
    });

    it('take 1 to 8 wasm threads, 1 when unset, and refuse anything else by name', () => {
      delete process.env['PUZZLE_TFJS_THREADS'];
      expect(requestedTfjsThreads()).toBe(1);
      process.env['PUZZLE_TFJS_THREADS'] = '4';
      expect(requestedTfjsThreads()).toBe(4);
      for (const bad of ['0', '9', '1.5', 'two']) {
        process.env['PUZZLE_TFJS_THREADS'] = bad;
        expect(() => requestedTfjsThreads()).toThrow(new RegExp(`PUZZLE_TFJS_THREADS: .* from 1 to 8, got '${bad}'`));
      }
    });
  });

  describe.skipIf(hasTfjsNodeGpu())(`without @tensorflow/tfjs-node-gpu${skipNote(hasTfjsNodeGpu(), '@tensorflow/tfjs-node-gpu is installed')}`, () => {
    it('refuses the tensorflow backend by name', () => {
      expect(() => loadTfjs('tensorflow')).toThrow(/tfjs backend 'tensorflow' cannot run here/);
    });
  });

  describe.skipIf(!hasTfjsNodeGpu())(`with @tensorflow/tfjs-node-gpu installed (optional peer)${skipNote(!hasTfjsNodeGpu(), 'the optional @tensorflow/tfjs-node-gpu is not installed')}`, () => {
    it('round-trips an array', () => {
      setBackend('tfjs');
      const a = gpuarray.toGpu(HostArray.from([1, 2, 3]));
      expect(Array.from(a.get().data)).toEqual([1, 2, 3]);
      a.dispose();
    });
  });
});
