export { attrsGroupName, readOptimizerCheckpoint, statesGroupName, writeOptimizerCheckpoint } from './optimizer-h5.js';
export { loadOptimizer, saveOptimizer, type OptimizerFileOptions } from './optimizer-file.js';
export { loadCheckpoint, saveCheckpoint, type CheckpointSaveOptions, type TrainingParts } from './training-checkpoint.js';
