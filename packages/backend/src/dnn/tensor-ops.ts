// Dnn facade: batch/instance norm, softmax, pads, upsampling, PRelu, embedding.
export { softmaxNd, softmaxNdBackward } from './softmax-nd.js';
export { batchNormNd, batchNormNdBackward, type BatchNormGrads, type BatchNormMode, type BatchNormOptions, type BatchNormResult } from './norm-batch.js';
export { instanceNorm2d, instanceNorm2dBackward, type InstanceNormGrads, type InstanceNormResult } from './norm-instance.js';
export { constantPad, constantPadBackward, reflectPad1d, reflectPad1dBackward, reflectPad2d, reflectPad2dBackward, type Pad1d, type Pad2d, type PadWidths } from './pad-ops.js';
export { upsample2d, upsample2dBackward, upsample3d, upsample3dBackward, type UpsampleMode } from './upsample-ops.js';
export { prelu, preluBackwardData, preluBackwardParams, type PreluParamOptions } from './prelu-ops.js';
export { embed, embedBackwardParams } from './embed-ops.js';
