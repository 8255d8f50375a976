export { VisualError } from './visual-error.js';
export { plotFromSpec, renderVegaLite, svgToPng, type Plot } from './render.js';
export { curvePoints, plotTrainingCurves, trainingCurvesSpec, type CurvePoint, type EpochRecord } from './training-curves.js';
export { encodeGrayPng } from './gray-png.js';
export { plotSampleGrid, sampleGridSvg, type SampleGridOptions } from './sample-grid.js';
export { writePlot } from './write-plot.js';
