export { ContainerError } from './container-error.js';
export { Container, type ChildBackward } from './container.js';
export { Sequential } from './sequential.js';
export { Parallel } from './parallel.js';
export { Graph, type GraphOptions } from './graph.js';
export { nodeInput, type Flow } from './routing.js';
export { Node, type Edge, type ParentSpec } from '@puzzle/modules';
