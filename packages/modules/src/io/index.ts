export { attrName, containerAttrGroup, linkName, rootPath, shortenPath } from './checkpoint-names.js';
export { childrenOf, walkModules, type TreeVisit } from './module-tree.js';
export { canCastSafely, describeArray, fileDtypeName, readScalarInt, toHost, writeArray, writeScalarInt, type StoredArray } from './h5-arrays.js';
export { getDataset, getGroup, h5Reason, readH5, withH5File, writeH5Atomically, writeH5Bytes, type H5Dataset, type H5File, type H5Group } from './h5-file.js';
export { collectCheckpoint, type CheckpointOptions, type ModuleCheckpoint } from './module-checkpoint.js';
export { saveModule, writeCheckpoint, type SaveOptions } from './save-module.js';
export { loadModule } from './load-module.js';
export { readBlueprint } from './read-blueprint.js';
export { h5Layout, type LayoutEntry } from './h5-layout.js';
