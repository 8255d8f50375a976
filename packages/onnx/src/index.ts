export { OnnxError } from './onnx-error.js';
export { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from './opset.js';
