export * from './conv-pool.js';
export * from './tensor-ops.js';
