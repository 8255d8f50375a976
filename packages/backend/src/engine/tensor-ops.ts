/** Batch/instance norm, softmax, pads, upsampling, axis permutations, PRelu and embedding ops of the Dnn engine. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TensorOps {}
