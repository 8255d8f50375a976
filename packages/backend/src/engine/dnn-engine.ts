/**
 * Dnn ops (convolution, pooling, batch norm, softmax, ...) an engine may implement. Filled in by the modules
 * issue; the facade `Dnn` reports a BackendError on engines that lack an op.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DnnEngine {}
