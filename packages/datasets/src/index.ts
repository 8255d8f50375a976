export { DatasetError } from './dataset-error.js';
export { idxMagic, readIdx, writeIdx, type IdxArray, type IdxType } from './idx.js';
export { takeSamples, type LabeledSet } from './labeled-set.js';
export { permutation, splitSamples } from './split-samples.js';
export { MnistLoader, type MnistSet, type OnSample } from './mnist-loader.js';
export { MnistPackageLoader } from './mnist-package-loader.js';
