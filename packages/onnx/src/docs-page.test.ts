import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportableModules } from './export/converters/index.js';
import { importableOps } from './import/importers/index.js';

const page = readFileSync(new URL('../../../docs/onnx/README.md', import.meta.url), 'utf8');

/** The names in the first column of the first table under `heading` (a cell may list several, comma-separated). */
function firstColumn(heading: string): string[] {
  const lines = page.slice(page.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  // The header row and the separator row come first.
  return lines.slice(start + 2, end).flatMap((row) => row.split('|')[1]!.split(',').map((name) => name.trim()));
}

describe('docs/onnx/README.md', () => {
  it('lists exactly the modules exportOnnx converts', () => {
    expect(firstColumn('## Supported modules').sort()).toEqual(exportableModules());
  });

  it('lists exactly the ops importOnnx reads', () => {
    expect(firstColumn('## Import').sort()).toEqual(importableOps());
  });
});
