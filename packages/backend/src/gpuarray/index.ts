export { concatenate, copy, empty, GPUArray, SharedArray, split, tile, toGpu, zeros } from './gpuarray.js';
export { maximum, minimum, sum } from '../reductions.js';
export { fillNormal, fillUniform } from '../kernels.js';
export { freeHeld, memoryStats } from '../memory.js';
