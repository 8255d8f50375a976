import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '@puzzle/backend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error.js';
import { writeIdx } from './idx.js';
import { MnistLoader } from './mnist-loader.js';

interface Part {
  pixels: Uint8Array;
  labels: Uint8Array;
}

function randomPart(n: number, rng: Rng): Part {
  return {
    pixels: Uint8Array.from({ length: n * 28 * 28 }, () => Math.floor(rng.uniform() * 256)),
    labels: Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 10)),
  };
}

const images = (p: Part) => writeIdx({ type: 'uint8', shape: [p.labels.length, 28, 28], data: p.pixels });
const labels = (p: Part) => writeIdx({ type: 'uint8', shape: [p.labels.length], data: p.labels });

describe('MnistLoader', () => {
  let dir: string;
  const rng = new Rng(11);
  const test = randomPart(3, rng);
  const train = randomPart(5, rng);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mnist-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writePuzzleLibNames(): Promise<void> {
    await writeFile(join(dir, 't10k-images.idx3-ubyte'), images(test));
    await writeFile(join(dir, 't10k-labels.idx1-ubyte'), labels(test));
    await writeFile(join(dir, 'train-images.idx3-ubyte'), images(train));
    await writeFile(join(dir, 'train-labels.idx1-ubyte'), labels(train));
  }

  it('reads test then train samples as pixel/255 float32 and int32 labels', async () => {
    await writePuzzleLibNames();
    const set = await new MnistLoader().load(dir);
    expect(set.data.shape).toEqual([8, 1, 28, 28]);
    expect(set.testSize).toBe(3);
    const pixels = [...test.pixels, ...train.pixels];
    expect(set.data.data).toEqual(Float32Array.from(pixels, (p) => p / 255));
    expect(Array.from(set.labels.data)).toEqual([...test.labels, ...train.labels]);
    expect(set.labels.dtype).toBe('int32');
  });

  it('reads the original gzipped file names and applies onSample', async () => {
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(images(test)));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels(test)));
    await writeFile(join(dir, 'train-images-idx3-ubyte'), images(train));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), labels(train));
    const set = await new MnistLoader({ onSample: (px) => Float32Array.from(px, (p) => p / 127.5 - 1) }).load(dir);
    expect(set.data.data).toEqual(Float32Array.from([...test.pixels, ...train.pixels], (p) => p / 127.5 - 1));
  });

  it('rejects missing files, swapped files and count mismatches', async () => {
    await expect(new MnistLoader().load(dir)).rejects.toThrow(/t10k-images not found in .*t10k-images\.idx3-ubyte/);
    await writePuzzleLibNames();
    await writeFile(join(dir, 'train-labels.idx1-ubyte'), images(train));
    await expect(new MnistLoader().load(dir)).rejects.toThrow(/train-labels\.idx1-ubyte: bad magic number 2051, expected 2049/);
    await writeFile(join(dir, 'train-labels.idx1-ubyte'), labels(test));
    await expect(new MnistLoader().load(dir)).rejects.toThrow(DatasetError);
    await expect(new MnistLoader().load(dir)).rejects.toThrow(/5 images but 3 labels/);
  });
});
