import { describe, expect, it } from 'vitest';
import { readTorchOutput, type TorchOutput } from './torch-peer.js';

const output: TorchOutput = {
  version: '2.11.0+cu130',
  cuda: '13.0',
  device: 'Test Card',
  date: '2026-01-01T00:00:00+00:00',
  probes: { copy: { elements: 1e9, samples_ms: [4, 2, 3] }, gemm: { size: 1000, samples_ms: [1, 1, 1] } },
  cases: {
    a: { 'torch-adam': { samples_ms: [1, 2, 3], errors: [0.5] }, 'torch-adam-fused': { samples_ms: [0.5, 0.7, 0.6] } },
    'b-tf32': { 'torch-adam': { samples_ms: [0.3], precision: { setting: 'high', matmul: 'TF32', cudnn: 'TF32' } } },
  },
  failures: [{ case: 'c', runner: 'torch-adam-fused', message: 'RuntimeError: x' }],
};

describe('readTorchOutput', () => {
  it('turns the peer samples into runner results with medians', () => {
    const run = readTorchOutput(output);
    const a = run.results.get('a')!;
    expect(a.map((r) => [r.runner, r.summary.median])).toEqual([
      ['torch-adam', 2],
      ['torch-adam-fused', 0.6],
    ]);
    expect(a[0]!.errors).toEqual([0.5]);
    expect(a[1]!.errors).toEqual([]);
  });

  it('keeps the precision the peer read back while a case ran', () => {
    const run = readTorchOutput(output);
    expect(run.results.get('b-tf32')![0]!.matmulFormat).toBe('TF32');
    expect(run.results.get('a')![0]!.matmulFormat).toBeUndefined();
  });

  it('derives the ceilings from the probes: copy bytes read plus written, 2n^3 gemm flops', () => {
    const run = readTorchOutput(output);
    expect(run.copyBytesPerSec).toBeCloseTo(8e9 / 3e-3);
    expect(run.gemmFlopsPerSec).toBeCloseTo(2e9 / 1e-3);
    expect(run.failures).toEqual([{ caseId: 'c', runner: 'torch-adam-fused', message: 'RuntimeError: x' }]);
  });
});
