export { ModuleError } from './errors.js';
export { asArray, disposeData, dtypesOf, fmtShapes, shapesOf, type Data, type ShapeOf } from './data.js';
export { Variable, type Updater } from './variable.js';
export { createTensorWithScheme, fans, type FactorType, type InitScheme } from './init.js';
export { Module, type BackwardOptions } from './module.js';
export { Node, type Edge, type ParentSpec } from './node.js';
export { Linear, type LinearOptions } from './linear.js';
export { Activation, clip, elu, leakyRelu, relu, sigmoid, softPlus, tanh, type ActivationName, type ActivationOptions } from './activation.js';
