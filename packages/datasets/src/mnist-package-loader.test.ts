import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error.js';
import { MnistPackageLoader } from './mnist-package-loader.js';

const packageDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const digitValues = (d: number) => (JSON.parse(readFileSync(join(packageDir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data;

describe('MnistPackageLoader', () => {
  it('reads every digit of the mnist package as NCHW float32 with int32 labels', async () => {
    const set = await new MnistPackageLoader().load();
    const counts = Array.from({ length: 10 }, (_, d) => digitValues(d).length / 784);
    const n = counts.reduce((a, b) => a + b, 0);
    expect(n).toBeGreaterThanOrEqual(10000);
    expect(set.data.shape).toEqual([n, 1, 28, 28]);
    expect(set.data.dtype).toBe('float32');
    expect(set.labels.dtype).toBe('int32');
    // Spot-check the last sample of each class against the package's own file.
    let end = 0;
    counts.forEach((count, d) => {
      end += count;
      expect(set.labels.data[end - 1]).toBe(d);
      expect(set.labels.data[end - count]).toBe(d);
      const ref = Float32Array.from(digitValues(d).slice((count - 1) * 784));
      expect(set.data.data.subarray((end - 1) * 784, end * 784)).toEqual(ref);
    });
    let min = Infinity;
    let max = -Infinity;
    for (const v of set.data.data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect([min, max]).toEqual([0, 1]);
  });

  it('names the file when the package is missing', async () => {
    await expect(new MnistPackageLoader({ packageDir: '/nonexistent' }).load()).rejects.toThrow(DatasetError);
    await expect(new MnistPackageLoader({ packageDir: '/nonexistent' }).load()).rejects.toThrow(/nonexistent\/src\/digits\/\d\.json/);
  });
});
