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
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'split', type: 'nominal', sort: ['train', 'validation'] },
      },
    },
  };
}

/** The training curves as SVG and PNG. */
export async function plotTrainingCurves(history: readonly EpochRecord[], opts: { title?: string; scale?: number } = {}): Promise<Plot> {
  return plotFromSpec(trainingCurvesSpec(history, opts), opts);
}
