import type { TopLevelSpec } from 'vega-lite';
import { plotFromSpec, type Plot } from './render.js';
import { VisualError } from './visual-error.js';

/** What one epoch measured; any field may be missing (e.g. no validation run that epoch). */
export interface EpochRecord {
  epoch: number;
  trainLoss?: number;
  validLoss?: number;
  trainAccuracy?: number;
  validAccuracy?: number;
}

/** One point of a curve, the long format Vega-Lite plots from. */
export interface CurvePoint {
  epoch: number;
  metric: 'loss' | 'accuracy';
  split: 'train' | 'validation';
  value: number;
}

const FIELDS = [
  ['trainLoss', 'loss', 'train'],
  ['validLoss', 'loss', 'validation'],
  ['trainAccuracy', 'accuracy', 'train'],
  ['validAccuracy', 'accuracy', 'validation'],
] as const;

export function curvePoints(history: readonly EpochRecord[]): CurvePoint[] {
  return history.flatMap((record) =>
    FIELDS.filter(([field]) => record[field] !== undefined).map(([field, metric, split]) => {
      const value = record[field]!;
      if (!Number.isFinite(value)) throw new VisualError(`epoch ${record.epoch}: ${field} is ${value}, not a finite number`);
      return { epoch: record.epoch, metric, split, value };
    }),
  );
}

/** Loss and accuracy side by side (each with its own y scale), one line per split. */
export function trainingCurvesSpec(history: readonly EpochRecord[], opts: { title?: string } = {}): TopLevelSpec {
  const values = curvePoints(history);
  if (values.length === 0) throw new VisualError('training curves: the history has no values to plot');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title === undefined ? {} : { title: opts.title }),
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'accuracy'] } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 320,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { values: epochTicks(values), format: 'd' } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'split', type: 'nominal', sort: ['train', 'validation'] },
      },
    },
  };
}

/**
 * Whole epochs for the x axis, at most about ten of them: Vega's own ticks fell between epochs and read 1.0, 1.2, …
 * even with tickMinStep, since the facets compute their scales apart.
 */
export function epochTicks(points: readonly CurvePoint[]): number[] {
  const epochs = points.map((p) => p.epoch);
  const first = Math.ceil(Math.min(...epochs));
  const last = Math.floor(Math.max(...epochs));
  const step = Math.max(1, Math.ceil((last - first) / 10));
  return Array.from({ length: Math.floor((last - first) / step) + 1 }, (_, i) => first + i * step);
}

/** The training curves as SVG and PNG. */
export async function plotTrainingCurves(history: readonly EpochRecord[], opts: { title?: string; scale?: number } = {}): Promise<Plot> {
  return plotFromSpec(trainingCurvesSpec(history, opts), opts);
}
