import { describe, expect, it } from 'vitest';
import { findTorchPython, startTorchCpuPeer } from './torch-cpu-runner.js';
import { cpuPlan } from './plans.js';

const found = findTorchPython();

describe('the PyTorch CPU peer', () => {
  it('is looked for in the interpreters named, and reported missing with the ones tried', () => {
    expect(findTorchPython(['/nonexistent/python3'])).toEqual({ tried: ['/nonexistent/python3'] });
  });

  // Runs where a python3 with torch is installed (not a dependency of the project: CI skips it).
  it.skipIf(!('python' in found))('serves a case repeat by repeat, timed on its side, and reports the losses it read', async () => {
    const peer = await startTorchCpuPeer((found as { python: string }).python);
    try {
      const plan = cpuPlan();
      const runner = await peer.runner({ ...plan.cases[0]!, errorEvery: 2 }, plan);
      await runner.step(0);
      const ms = await runner.repeat!(3);
      expect(ms).toBeGreaterThan(0);
      expect(await runner.errors()).toHaveLength(2);
      await expect(peer.runner({ ...plan.cases[0]!, model: { kind: 'mlp', batch: 4, sizes: [3, 2], bias: [] } }, plan)).rejects.toThrow();
    } finally {
      peer.close();
    }
  });
});
