import { Resvg } from '@resvg/resvg-js';
import { HostArray, Rng } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { plotSampleGrid, sampleGridSvg } from './sample-grid.js';
import { VisualError } from './visual-error.js';

const [N, H, W] = [6, 5, 4];

function randomImages(rng: Rng): HostArray {
  return new HostArray(Float32Array.from({ length: N * H * W }, () => rng.uniform()), [N, 1, H, W], 'float32');
}

describe('sample grid', () => {
  it('draws every image pixel at its place and captions it with the prediction', () => {
    const rng = new Rng(8);
    const images = randomImages(rng);
    const predicted = Array.from({ length: N }, (_, i) => i % 10);
    const zoom = 4;
    const columns = 3;
    const svg = sampleGridSvg(images, predicted, { columns, zoom });
    const rendered = new Resvg(svg).render();
    const rgba = rendered.pixels;
    // Cell layout of sampleGridSvg: a 4 px margin, cells of (W·zoom + 8) by (H·zoom + 16 + 8).
    for (let i = 0; i < N; i++) {
      const [x0, y0] = [(i % columns) * (W * zoom + 8) + 4, Math.floor(i / columns) * (H * zoom + 24) + 4];
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const px = ((y0 + y * zoom + zoom / 2) * rendered.width + x0 + x * zoom + zoom / 2) * 4;
          const expected = Math.round(images.data[i * H * W + y * W + x]! * 255);
          expect(Math.abs(rgba[px]! - expected), `image ${i} pixel (${y}, ${x})`).toBeLessThanOrEqual(2);
        }
      }
    }
    const captions = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(captions).toEqual(predicted.map(String));
  });

  it('marks wrong predictions in red with the true label', () => {
    const images = randomImages(new Rng(9));
    const labels = [0, 1, 2, 3, 4, 5];
    const predicted = [0, 7, 2, 3, 9, 5];
    const plot = plotSampleGrid(images, predicted, { labels });
    const texts = [...plot.svg.matchAll(/<text[^>]*fill="([^"]+)"[^>]*>([^<]*)<\/text>/g)];
    expect(texts.filter((t) => t[1] === '#d62728').map((t) => t[2])).toEqual(['7 (1)', '9 (4)']);
    expect(Buffer.from(plot.png.subarray(1, 4)).toString()).toBe('PNG');
  });

  it('rejects mismatched predictions and bad shapes', () => {
    const images = randomImages(new Rng(10));
    expect(() => sampleGridSvg(images, [1, 2])).toThrow(VisualError);
    expect(() => sampleGridSvg(images, [1, 2])).toThrow(/6 images but 2 predictions/);
    expect(() => sampleGridSvg(images.reshape(N, 2, 10, 1), [0, 0, 0, 0, 0, 0])).toThrow(/\(6, 2, 10, 1\)/);
  });
});
