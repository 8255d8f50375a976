import { describe, expect, it } from 'vitest';
import { cpuTable, failureLines } from './cpu-report.js';
import { fixtureCase } from './report-fixtures.js';

describe('cpuTable', () => {
  it('gives both ratios and judges both goals: faster than tfjs-layers, within 2x of PyTorch', () => {
    const table = cpuTable([fixtureCase('a', { puzzle: 1, 'tfjs-layers': 2, 'torch-adam': 0.6 }), fixtureCase('b', { puzzle: 9, 'tfjs-layers': 8, 'torch-adam': 4 })]);
    const [, , a, b] = table.split('\n');
    expect(a).toMatch(/\| 1\.00 ms +\| 2\.00 ms +\| 0\.600 ms +\| 0\.50x +\| 1\.67x +\| met, met +\|/);
    expect(b).toMatch(/\| 9\.00 ms +\| 8\.00 ms +\| 4\.00 ms +\| 1\.13x +\| 2\.25x +\| not met, not met +\|/);
  });

  it('says n/a for a peer that measured nothing, and keeps the other goal', () => {
    const row = cpuTable([fixtureCase('c', { puzzle: 100, 'torch-adam': 60 })]).split('\n')[2]!;
    expect(row).toMatch(/\| n\/a +\| 60\.0 ms +\| n\/a +\| 1\.67x +\| n\/a, met +\|/);
  });
});

describe('failureLines', () => {
  it('name the runner, the case and the reason', () => {
    expect(failureLines([{ caseId: 'c', runner: 'tfjs-layers', message: "Kernel 'Conv2DBackpropFilter' not registered" }])).toEqual([
      "- tfjs-layers, case (c): Kernel 'Conv2DBackpropFilter' not registered",
    ]);
  });
});
