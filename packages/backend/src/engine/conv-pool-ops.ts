/** Convolution, deconvolution and pooling ops of the Dnn engine. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConvPoolOps {}
