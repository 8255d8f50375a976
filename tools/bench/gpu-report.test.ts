import { describe, expect, it } from 'vitest';
import { adamTable, gpuReport, stepTable } from './gpu-report.js';
import { fixtureCase } from './report-fixtures.js';

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
  });
});
