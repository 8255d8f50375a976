import { rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Plot } from './render.js';
import { VisualError } from './visual-error.js';

/** Writes the plot as SVG or PNG, chosen by the file extension; the file appears whole (temp file, then rename). */
export async function writePlot(plot: Plot, path: string): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new VisualError(`writePlot: ${path} should end in .svg or .png`);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, ext === '.svg' ? plot.svg : plot.png);
  await rename(temp, path);
}
