import { describe, expect, it } from 'vitest';
import { skipNote } from '@puzzle/testing';
import { availableBackends, getBackend, gpuarray, HostArray, setBackend } from '../../index.js';
import { hasTfjsNodeGpu } from './tfjs-loader.js';

describe('tfjs engine selection', () => {
  it('is always available and says which tfjs backend runs', () => {
    expect(availableBackends()).toContain('tfjs');
    setBackend('tfjs');
    expect(getBackend().name).toBe('tfjs');
    expect(getBackend().device).toMatch(/^tfjs:(cpu|tensorflow)$/);
  });

  it('rejects unknown engine names', () => {
    expect(() => setBackend('metal' as never)).toThrow(/unknown engine 'metal'/);
  });

  describe.skipIf(!hasTfjsNodeGpu())(`with @tensorflow/tfjs-node-gpu installed (optional peer)${skipNote(!hasTfjsNodeGpu(), 'the optional @tensorflow/tfjs-node-gpu is not installed')}`, () => {
    it('runs on the tensorflow backend', () => {
      setBackend('tfjs');
      expect(getBackend().device).toBe('tfjs:tensorflow');
      const a = gpuarray.toGpu(HostArray.from([1, 2, 3]));
      expect(Array.from(a.get().data)).toEqual([1, 2, 3]);
      a.dispose();
    });
  });

  describe.skipIf(hasTfjsNodeGpu())(`without @tensorflow/tfjs-node-gpu${skipNote(hasTfjsNodeGpu(), '@tensorflow/tfjs-node-gpu is installed')}`, () => {
    it('falls back to the pure-JS cpu backend', () => {
      setBackend('tfjs');
      expect(getBackend().device).toBe('tfjs:cpu');
    });
  });
});
