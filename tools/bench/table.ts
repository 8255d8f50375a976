/** Plain-text formatting of benchmark numbers: GitHub markdown tables that also read well in a terminal. */

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new RangeError(`a row of ${row.length} cells under ${header.length} columns`);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length), 3));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Three significant digits, never exponent notation: 0.0123, 1.23, 123, 12346. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 6));
}

export function formatMs(ms: number | null | undefined): string {
  return ms == null ? 'n/a' : `${formatNumber(ms)} ms`;
}

/** A time ratio, Puzzle over the peer: below 1 means Puzzle is faster. */
export function formatRatio(numerator: number | null | undefined, denominator: number | null | undefined): string {
  if (numerator == null || denominator == null || denominator === 0) return 'n/a';
  return `${(numerator / denominator).toFixed(2)}x`;
}

export function formatPercent(fraction: number | null | undefined): string {
  return fraction == null ? 'n/a' : `${(100 * fraction).toFixed(0)}%`;
}
