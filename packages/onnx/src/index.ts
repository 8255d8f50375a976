export { OnnxError } from './onnx-error.js';
export { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from './opset.js';
export { exportModel, exportOnnx, type ExportOptions } from './export/export-onnx.js';
export type { OnnxInput } from './export/graph-io.js';
export { exportableModules } from './export/converters/index.js';
export { importOnnx } from './import/import-onnx.js';
export { importableOps } from './import/importers/index.js';
