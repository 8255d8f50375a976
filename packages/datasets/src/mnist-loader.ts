import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HostArray } from '@puzzle/backend';
import { DatasetError } from './dataset-error.js';
import { readIdx, type IdxArray } from './idx.js';
import type { LabeledSet } from './labeled-set.js';

const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;

/** Turns one image's bytes into its float values (default: pixel / 255). */
export type OnSample = (pixels: Uint8Array) => ArrayLike<number>;

export interface MnistSet extends LabeledSet {
  /** The first `testSize` samples are the t10k files, the rest the train files (PuzzleLib's order). */
  testSize: number;
}

/**
 * Reads the four MNIST IDX files from a folder: data (N, 1, rows, cols) float32, labels (N,) int32, test samples
 * first. File names may follow PuzzleLib ("t10k-images.idx3-ubyte") or the original distribution
 * ("t10k-images-idx3-ubyte"), optionally gzipped. Unlike PuzzleLib there is no HDF5 cache: parsing IDX is as
 * fast as reading one.
 */
export class MnistLoader {
  readonly onSample: OnSample;

  constructor(opts: { onSample?: OnSample } = {}) {
    this.onSample = opts.onSample ?? ((pixels) => Float32Array.from(pixels, (p) => p / 255));
  }

  async load(path: string): Promise<MnistSet> {
    const test = await this.loadPair(path, 't10k');
    const train = await this.loadPair(path, 'train');
    const [, rows, cols] = test.images.shape as [number, number, number];
    if (train.images.shape[1] !== rows || train.images.shape[2] !== cols) {
      throw new DatasetError(`MNIST in ${path}: test images are ${rows}×${cols}, train images ${train.images.shape[1]}×${train.images.shape[2]}`);
    }
    const n = test.labels.length + train.labels.length;
    const data = new Float32Array(n * rows * cols);
    this.decodeImages(test.images, data, 0);
    this.decodeImages(train.images, data, test.labels.length * rows * cols);
    const labels = Int32Array.from([...test.labels, ...train.labels]);
    return {
      data: new HostArray(data, [n, 1, rows, cols], 'float32'),
      labels: new HostArray(labels, [n], 'int32'),
      testSize: test.labels.length,
    };
  }

  private decodeImages(images: IdxArray, out: Float32Array, offset: number): void {
    const [n, rows, cols] = images.shape as [number, number, number];
    const size = rows * cols;
    for (let i = 0; i < n; i++) {
      const sample = this.onSample((images.data as Uint8Array).subarray(i * size, (i + 1) * size));
      if (sample.length !== size) throw new DatasetError(`MnistLoader: onSample returned ${sample.length} values, expected ${size}`);
      out.set(sample, offset + i * size);
    }
  }

  private async loadPair(path: string, prefix: 't10k' | 'train'): Promise<{ images: IdxArray; labels: Uint8Array }> {
    const images = await readMnistFile(path, `${prefix}-images`, 'idx3-ubyte', IMAGES_MAGIC);
    const labels = await readMnistFile(path, `${prefix}-labels`, 'idx1-ubyte', LABELS_MAGIC);
    if (labels.shape[0] !== images.shape[0]) {
      throw new DatasetError(`MNIST ${prefix} files in ${path}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
    }
    return { images, labels: labels.data as Uint8Array };
  }
}

async function readMnistFile(dir: string, stem: string, kind: string, magic: number): Promise<IdxArray> {
  const names = [`${stem}.${kind}`, `${stem}-${kind}`].flatMap((n) => [n, `${n}.gz`]);
  const found = await firstExisting(names.map((n) => join(dir, n)));
  if (found === null) throw new DatasetError(`MNIST file ${stem} not found in ${dir} (looked for ${names.join(', ')})`);
  let bytes: Uint8Array = await readFile(found);
  if (found.endsWith('.gz')) bytes = gunzipSync(bytes);
  const array = readIdx(bytes, found);
  // The magic encodes type and rank: 2051 = uint8 images of 3 dims, 2049 = uint8 labels of 1 dim.
  const actual = (bytes[2]! << 8) | bytes[3]!;
  if (actual !== magic) {
    throw new DatasetError(`${found}: bad magic number ${actual}, expected ${magic}`);
  }
  return array;
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const p of paths) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next name
    }
  }
  return null;
}
