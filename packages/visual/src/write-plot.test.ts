import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VisualError } from './visual-error.js';
import { writePlot } from './write-plot.js';

describe('writePlot', () => {
  it('writes SVG or PNG by extension and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plot-'));
    const plot = { svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', png: Uint8Array.of(1, 2, 3) };
    await writePlot(plot, join(dir, 'a.svg'));
    await writePlot(plot, join(dir, 'b.PNG'));
    expect(await readFile(join(dir, 'a.svg'), 'utf8')).toBe(plot.svg);
    expect([...(await readFile(join(dir, 'b.PNG')))]).toEqual([1, 2, 3]);
    await expect(writePlot(plot, join(dir, 'c.jpg'))).rejects.toThrow(VisualError);
    expect((await readdir(dir)).sort()).toEqual(['a.svg', 'b.PNG']);
    await rm(dir, { recursive: true });
  });
});
