import { describe, expect, it } from 'vitest';
import { adamTable, gpuReport, precisionCell, precisionMismatches, stepTable } from './gpu-report.js';
import { fixtureCase, withFormats } from './report-fixtures.js';

const ceilings = { copyBytesPerSec: 2.8e12, gemmFlopsPerSec: 50e12 };
const meta = { date: '2026-01-01T00:00:00.000Z', card: 'Test Card', engine: 'cuda', peer: 'PyTorch x', command: 'bash run.sh' };

describe('GPU report', () => {
  it('shows each runner, Puzzle over each PyTorch variant, and the goal', () => {
    const table = stepTable([fixtureCase('a', { puzzle: 0.05, 'torch-adam': 1, 'torch-adam-fused': 0.5 })], ceilings, 'cuda');
    const row = table.split('\n')[2]!;
    expect(row).toContain('0.0500 ms');
    expect(row).toContain('0.05x');
    expect(row).toContain('0.10x');
    expect(row).toMatch(/\| yes +\|$/);
  });

  it('gives each case the precision its products ran in, per framework where they differ', () => {
    const medians = { puzzle: 0.2, 'torch-adam': 0.3, 'torch-adam-fused': 0.25 };
    const tf32 = withFormats(fixtureCase('b-tf32', medians), { puzzle: 'TF32', 'torch-adam': 'TF32', 'torch-adam-fused': 'TF32' });
    const bf16 = withFormats(fixtureCase('b-bf16', medians), { puzzle: 'bf16', 'torch-adam': 'TF32', 'torch-adam-fused': 'TF32' });
    expect(precisionCell(tf32)).toBe('TF32');
    expect(precisionCell(bf16)).toBe('Puzzle bf16, PyTorch TF32');
    // Nothing recorded (no runner measured it): the plan's request.
    expect(precisionCell(fixtureCase('b-tf32', {}))).toBe('TF32');
    expect(precisionCell(fixtureCase('c', { puzzle: 1 }))).toBe('fp32');
    expect(stepTable([tf32], ceilings, 'cuda').split('\n')[2]).toMatch(/^\| \(b-tf32\) large MLP, TF32: .* \| TF32 +\| 0\.200 ms/);
  });

  it('notes a framework that ran another precision than the case asked for', () => {
    const bf16 = withFormats(fixtureCase('b-bf16', { puzzle: 0.2, 'torch-adam': 0.3, 'torch-adam-fused': 0.25 }), {
      puzzle: 'bf16',
      'torch-adam': 'TF32',
      'torch-adam-fused': 'TF32',
    });
    expect(precisionMismatches(bf16)).toEqual(['case b-bf16: PyTorch ran its products in TF32, not the bf16 asked for']);
    expect(gpuReport([bf16], ceilings, meta, [])).toContain('Note: case b-bf16: PyTorch ran its products in TF32');
    expect(precisionMismatches(withFormats(fixtureCase('b', { puzzle: 1 }), { puzzle: 'fp32' }))).toEqual([]);
  });

  it('gives case (d) as bandwidth against the copy ceiling', () => {
    const table = adamTable(fixtureCase('d', { puzzle: 1, 'torch-adam-fused': 2 }), ceilings);
    expect(table).toContain('2800 GB/s');
    expect(table).toContain('100%');
    expect(table).toContain('1400 GB/s');
    expect(() => adamTable(fixtureCase('a', { puzzle: 1 }), ceilings)).toThrow(RangeError);
  });

  it('names the card and date and warns about diverged losses', () => {
    const report = gpuReport([fixtureCase('c', { puzzle: 1 }, [Number.NaN])], ceilings, meta, ['a note']);
    expect(report).toContain('Card: Test Card. Date: 2026-01-01');
    expect(report).toContain('WARNING: case c: non-finite error from puzzle');
    expect(report).toContain('Note: a note');
    expect(report).toContain('Precision: what float32 matrix products and convolutions were allowed on the GPU');
  });
});
