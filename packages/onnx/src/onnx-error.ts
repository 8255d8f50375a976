/**
 * Raised by exportOnnx and importOnnx: a module or an ONNX op outside the supported subset (named with its path in
 * the net or its node in the file), options that do not fit the net, bytes that are not an ONNX model.
 */
export class OnnxError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'OnnxError';
    if (cause !== undefined) this.cause = cause;
  }
}
