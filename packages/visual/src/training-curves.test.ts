import { Rng } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { curvePoints, epochTicks, plotTrainingCurves, type EpochRecord } from './training-curves.js';
import { VisualError } from './visual-error.js';

function randomHistory(epochs: number, rng: Rng): EpochRecord[] {
  return Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    trainLoss: rng.uniform() * 2,
    validLoss: rng.uniform() * 2,
    trainAccuracy: rng.uniform(),
    // validation ran every other epoch only
    ...(i % 2 === 0 ? { validAccuracy: rng.uniform() } : {}),
  }));
}

function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

/** The plotted point symbols: the paths inside Vega's mark-symbol groups of role "mark". */
function countPoints(svg: string): number {
  const groups = svg.split('class="mark-symbol role-mark').slice(1);
  return groups.reduce((n, g) => n + (g.slice(0, g.indexOf('</g>')).match(/<path/g) ?? []).length, 0);
}

describe('training curves', () => {
  it('turns the history into one point per recorded metric, split and epoch', () => {
    const history = randomHistory(4, new Rng(2));
    const points = curvePoints(history);
    const expected = history.flatMap((r) => [
      { epoch: r.epoch, metric: 'loss', split: 'train', value: r.trainLoss },
      { epoch: r.epoch, metric: 'loss', split: 'validation', value: r.validLoss },
      { epoch: r.epoch, metric: 'accuracy', split: 'train', value: r.trainAccuracy },
      ...(r.validAccuracy === undefined ? [] : [{ epoch: r.epoch, metric: 'accuracy', split: 'validation', value: r.validAccuracy }]),
    ]);
    expect(points).toEqual(expected);
  });

  it('renders SVG with every point and a PNG of the same size', async () => {
    const history = randomHistory(5, new Rng(3));
    const plot = await plotTrainingCurves(history, { title: 'run' });
    expect(plot.svg.startsWith('<svg')).toBe(true);
    expect(countPoints(plot.svg)).toBe(curvePoints(history).length);
    for (const label of ['loss', 'accuracy', 'train', 'validation', 'run']) expect(plot.svg).toContain(`>${label}<`);
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(plot.svg)!.map(Number);
    expect(pngSize(plot.png)).toEqual([width, height]);
  });

  it('rejects an empty history and non-finite values', () => {
    expect(() => curvePoints([{ epoch: 1, trainLoss: NaN }])).toThrow(/epoch 1: trainLoss is NaN/);
    return expect(plotTrainingCurves([{ epoch: 1 }])).rejects.toThrow(VisualError);
  });

  it('labels the epoch axis with integers (it read 1.0, 2.0, …)', async () => {
    const history = [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 1 / epoch, validLoss: 1.2 / epoch, trainAccuracy: 0.3 * epoch }));
    const { svg } = await plotTrainingCurves(history);
    // Each facet's x axis: the label texts inside the axis group Vega describes as "X-axis titled 'epoch'".
    const axes = svg.split(`aria-label="X-axis titled 'epoch'`).slice(1).map((rest) => rest.slice(0, rest.indexOf('role-axis-title')));
    expect(axes).toHaveLength(2);
    for (const axis of axes) expect([...axis.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(epochTicks(curvePoints([...Array(25).keys()].map((i) => ({ epoch: i + 1, trainLoss: 1 }))))).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25]);
  });
});
