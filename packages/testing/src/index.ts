export { describeEngines } from './engines.js';
export { TOLERANCES, tolFor, type Tolerance } from './tolerances.js';
export { expectClose, expectNonTrivial } from './compare.js';
export { matmul64, randomData, toF64, uniformData } from './reference.js';
export { numericGrad, sampleIndices, weightedSum } from './finite-diff.js';
export { expectNoLeak, liveBuffers } from './memory.js';
export { checkModuleGradients, type CheckableModule, type GradCheckOptions } from './gradcheck.js';
