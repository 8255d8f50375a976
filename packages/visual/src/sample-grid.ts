import type { HostArray } from '@puzzle/backend';
import { encodeGrayPng } from './gray-png.js';
import { svgToPng, type Plot } from './render.js';
import { VisualError } from './visual-error.js';

export interface SampleGridOptions {
  /** True labels: a prediction that differs is drawn in red. */
  labels?: ArrayLike<number>;
  columns?: number;
  /** Screen pixels per image pixel. */
  zoom?: number;
  /** Pixel values mapped to black and white (default 0 and 1). */
  range?: [number, number];
  title?: string;
}

const CAPTION = 16;
const GAP = 8;

function toBytes(values: ArrayLike<number>, [lo, hi]: [number, number]): Uint8Array {
  return Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255));
}

/** Images (N, 1, H, W) or (N, H, W) as a grid, each captioned with its predicted label. */
export function sampleGridSvg(images: HostArray, predicted: ArrayLike<number>, opts: SampleGridOptions = {}): string {
  const shape = images.shape;
  const [n, h, w] = [shape[0]!, shape[shape.length - 2]!, shape[shape.length - 1]!];
  if (!(shape.length === 3 || (shape.length === 4 && shape[1] === 1)) || images.dtype === 'float16') {
    throw new VisualError(`sample grid: expects float32 or int32 images (N, 1, H, W) or (N, H, W), got (${shape.join(', ')}) ${images.dtype}`);
  }
  if (predicted.length !== n || (opts.labels && opts.labels.length !== n)) {
    throw new VisualError(`sample grid: ${n} images but ${predicted.length} predictions${opts.labels ? ` and ${opts.labels.length} labels` : ''}`);
  }
  const { columns = Math.min(n, 8), zoom = 2, range = [0, 1] } = opts;
  const [cellW, cellH] = [w * zoom + GAP, h * zoom + CAPTION + GAP];
  const top = opts.title === undefined ? 0 : 24;
  const cells = Array.from({ length: n }, (_, i) => {
    const [x, y] = [(i % columns) * cellW + GAP / 2, top + Math.floor(i / columns) * cellH + GAP / 2];
    const png = Buffer.from(encodeGrayPng(toBytes(images.data.subarray(i * h * w, (i + 1) * h * w), range), w, h));
    const wrong = opts.labels !== undefined && opts.labels[i] !== predicted[i];
    return (
      `<image x="${x}" y="${y}" width="${w * zoom}" height="${h * zoom}" image-rendering="optimizeSpeed" ` +
      `href="data:image/png;base64,${png.toString('base64')}"/>` +
      `<text x="${x + (w * zoom) / 2}" y="${y + h * zoom + CAPTION - 3}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" ` +
      `font-size="12" fill="${wrong ? '#d62728' : '#222222'}">${predicted[i]}${wrong ? ` (${opts.labels![i]})` : ''}</text>`
    );
  });
  const [width, height] = [columns * cellW, top + Math.ceil(n / columns) * cellH];
  const title = opts.title === undefined ? '' : `<text x="${width / 2}" y="17" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="14">${escapeXml(opts.title)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="white"/>${title}${cells.join('')}</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** The sample grid as SVG and PNG. */
export function plotSampleGrid(images: HostArray, predicted: ArrayLike<number>, opts: SampleGridOptions = {}): Plot {
  const svg = sampleGridSvg(images, predicted, opts);
  return { svg, png: svgToPng(svg) };
}
