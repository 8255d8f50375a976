import { describe, expect, it } from 'vitest';
import { formatMs, formatNumber, formatPercent, formatRatio, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads every column to its widest cell', () => {
    expect(formatTable(['case', 'ms'], [['a', '0.123'], ['bb', '1']])).toBe(
      ['| case | ms    |', '|------|-------|', '| a    | 0.123 |', '| bb   | 1     |'].join('\n'),
    );
  });

  it('refuses rows of the wrong width', () => {
    expect(() => formatTable(['x', 'y'], [['1']])).toThrow(RangeError);
  });
});

describe('number formats', () => {
  it('keeps three significant digits without exponents', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(123.45)).toBe('123');
    expect(formatNumber(12345.6)).toBe('12346');
    expect(formatNumber(0)).toBe('0');
  });

  it('labels units and missing values', () => {
    expect(formatMs(1.5)).toBe('1.50 ms');
    expect(formatMs(null)).toBe('n/a');
    expect(formatRatio(1, 4)).toBe('0.25x');
    expect(formatRatio(1, null)).toBe('n/a');
    expect(formatPercent(0.873)).toBe('87%');
  });
});
