import type { DType } from '@puzzle/backend';
import type { Module } from '@puzzle/modules';
import { OnnxError } from '../onnx-error.js';
import type { GraphBuilder } from './graph-builder.js';
import { isValue, type Flow, type Names, type Value } from './values.js';

/** What a converter is given for one module of the net. */
export class ModuleExport {
  constructor(
    readonly mod: Module,
    /** The module's path in the net ('' for the root), as its variables are named in getVarTable. */
    readonly path: string,
    readonly input: Flow,
    readonly builder: GraphBuilder,
    readonly opset: number,
  ) {}

  /** The name of the module's first node: its path, or its class for a bare module. */
  get name(): string {
    return this.path === '' ? this.mod.constructor.name : this.path;
  }

  /** The initializer of one of the module's variables or attributes, named as getVarTable names it. */
  param(name: string, dims?: readonly number[]): string {
    const array = name in this.mod.vars ? this.mod.getVar(name).data : this.mod.getAttr(name);
    return this.builder.param(array, this.path === '' ? name : `${this.path}.${name}`, dims);
  }

  /** The single input value (a module that takes one array). */
  get x(): Value {
    if (!isValue(this.input)) this.fail(`expects a single input, got a list of ${this.input.length}`);
    return this.input;
  }

  /** The input values of a module that takes a list. */
  get xs(): Value[] {
    if (isValue(this.input) || !this.input.every(isValue)) this.fail('expects a list of arrays');
    return this.input as Value[];
  }

  get dtype(): DType {
    return this.x.dtype;
  }

  fail(message: string): never {
    throw new OnnxError(`${this.mod.describe()} at ${where(this.path)}: ${message}`);
  }
}

/** A module's place in the net, for messages. */
export function where(path: string): string {
  return path === '' ? 'the root of the net' : `'${path}'`;
}

export type Converter<M extends Module = Module> = (mod: M, e: ModuleExport) => Names;

/** One exportable class: exactly this class (a subclass may compute something else, so it is not covered). */
export interface ConverterEntry {
  cls: abstract new (...args: never[]) => Module;
  convert: Converter;
  /** The dtype of the output when it is not the input's. */
  outputDtype?: (mod: Module) => DType;
}

/** An entry for class `cls` with a converter typed for it. */
export function entry<M extends Module>(cls: abstract new (...args: never[]) => M, convert: Converter<M>, outputDtype?: (mod: M) => DType): ConverterEntry {
  return { cls, convert: convert as Converter, outputDtype: outputDtype as ConverterEntry['outputDtype'] };
}

/** A per-axis pair of a layer's 2-D geometry on the axes ONNX sees: 1-D layers drop their unit first axis. */
export function onnxAxes(spatialDims: 1 | 2, pair: readonly number[]): number[] {
  return spatialDims === 1 ? pair.slice(1) : [...pair];
}
