export { HandlerError } from './handler-error.js';
export { sampleCount, sliceDevice, uploadHost, type HostData } from './batching.js';
export { Progress, type ProgressOptions, type ProgressStream } from './progress.js';
export type { StepOptimizer, TrainingCost, ValidationCost } from './cost-like.js';
export { Handler, type HandlerOptions, type HostPassOptions } from './handler.js';
export { Trainer, type TrainerOptions } from './trainer.js';
export { Validator } from './validator.js';
export { Calculator } from './calculator.js';
