export { cudaUnderTest, describeEngines } from './engines.js';
export { TOLERANCES, tolFor, type Tolerance } from './tolerances.js';
export { expectClose, expectNonTrivial } from './compare.js';
export { matmul64, randomData, toF64, uniformData } from './reference.js';
export { softmax64 } from './softmax-reference.js';
export { numericGrad, sampleIndices, weightedSum } from './finite-diff.js';
export { expectNoLeak, liveBuffers } from './memory.js';
export { checkModuleGradients, type CheckableModule, type GradCheckOptions } from './gradcheck.js';
export {
  conv64,
  convBackwardData64,
  convBackwardParams64,
  convShape64,
  deconv64,
  deconvBackwardData64,
  deconvBackwardParams64,
  deconvShape64,
  type ConvRefGeometry,
  type DeconvRefGeometry,
} from './conv-reference.js';
export { distinctData, pool64, poolBackward64, poolShape64, type PoolRefGeometry, type PoolRefMode } from './pool-reference.js';
export { bundleChildScript, type ChildScript } from './child-script.js';
export { skipNote } from './skip-note.js';
