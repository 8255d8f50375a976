import { Blas, describeValue, findNonDevice, GPUArray, uploadHint, type DType } from '@puzzle/backend';
import { disposeData, fmtShapes, otherDType, sameShapes, shapesOf, type Data, type ShapeOf } from './data.js';
import { checkModuleFinite, globalAnomalyWatch, type AnomalyWatch } from './anomaly.js';
import { ModuleError } from './errors.js';
import { loadModule } from './io/load-module.js';
import type { CheckpointOptions } from './io/module-checkpoint.js';
import { saveModule, type SaveOptions } from './io/save-module.js';
import { Node, type ParentSpec } from './node.js';
import { noteStructureChange } from './structure.js';
import type { Variable } from './variable.js';

export interface BackwardOptions {
  /** Compute parameter gradients (default true; only in train mode). */
  updParamGrads?: boolean;
  /** Compute the input gradient `module.grad` (default true). */
  updGrad?: boolean;
  /** param.grad = scale·fresh + momentum·param.grad */
  scale?: number;
  momentum?: number;
}

/**
 * The base of every layer and container: explicit forward (`call` → `updateData`) and backward
 * (`backward` → `updateGrad` + `accGradParams`). A module owns its variables, its last output `data` and its last
 * input gradient `grad`: both stay valid until the next call or backward (copy them to keep them longer).
 */
export abstract class Module {
  name: string | null;
  vars: Record<string, Variable> = {};
  attrs: Record<string, GPUArray> = {};
  data: Data | null = null;
  inData: Data | null = null;
  grad: Data | null = null;
  train = true;
  calctype: DType = 'float32';
  /** Backward reads this module's forward output, so the next module must not overwrite it in place. */
  gradUsesOutData = false;
  /** The output is a view of the input (Identity, Flatten, Reshape, ...). */
  movesData = false;
  movesGrad = false;
  inplace = false;
  /** Anomaly detection for this module (watchAnomalies: an optimizer's or a Trainer's option); else the global one. */
  anomalyWatch: AnomalyWatch | null = null;
  /** Set by dispose(): the variables are gone, so call and backward refuse instead of failing on a missing 'W'. */
  private disposed = false;

  constructor(name: string | null = null) {
    this.name = name;
  }

  protected abstract updateData(data: Data): Data;
  protected abstract updateGrad(grad: Data): Data;
  /** Parameter gradients: var.grad = scale·fresh + momentum·var.grad. Parameterless modules keep the no-op. */
  protected accGradParams(_grad: Data, _scale: number, _momentum: number): void {}

  /** Forward: validates dtype and shape (leaving the module untouched on error), then runs updateData. */
  call(data: Data): Data {
    this.checkUsable('call', 'data', data);
    this.checkDataType(data);
    this.checkDataShape(shapesOf(data));
    const out = ownHandles(this.updateData(data), data);
    disposeData(this.data);
    this.inData = data;
    this.data = out;
    const watch = this.anomalyWatch ?? globalAnomalyWatch();
    if (watch !== null) checkModuleFinite(this, 'forward', watch, data);
    return out;
  }

  backward(grad: Data, opts: BackwardOptions = {}): void {
    const { updParamGrads = true, updGrad = true, scale = 1.0, momentum = 0.0 } = opts;
    this.checkUsable('backward', 'grad', grad);
    if (this.inData === null) throw new ModuleError(`${this.describe()}: backward called before forward`);
    this.checkGradType(grad);
    this.checkGradShape(shapesOf(grad));
    const inGrad = updGrad ? ownHandles(this.updateGrad(grad), grad) : null;
    if (updParamGrads && this.train) this.accGradParams(grad, scale, momentum);
    disposeData(this.grad);
    this.grad = inGrad;
    const watch = this.anomalyWatch ?? globalAnomalyWatch();
    if (watch !== null) checkModuleFinite(this, 'backward', watch, grad);
  }

  /**
   * A disposed module, or an argument that is not a GPUArray (or a list of them), is a ModuleError naming both: a
   * HostArray passed as is failed with "data is not iterable". One `instanceof` when the argument is an array.
   */
  protected checkUsable(entry: string, arg: string, value: Data): void {
    if (this.disposed) this.fail(`${entry}() after dispose(): its variables and buffers were released; build a new module`);
    if (value instanceof GPUArray) return;
    const found = findNonDevice(value);
    if (found !== null) this.fail(`${entry}() expects ${arg} as a GPUArray or a list of them, got ${describeValue(found.bad)}${uploadHint(found.bad)}`);
  }

  /** Output shape for an input shape, without running anything. */
  dataShapeFrom(shape: ShapeOf): ShapeOf {
    return shape;
  }

  /** Input-gradient shape for an output-gradient shape. */
  gradShapeFrom(shape: ShapeOf): ShapeOf {
    return shape;
  }

  protected checkDataShape(_shape: ShapeOf): void {}

  /** By default the gradient must have the shape of the last output. */
  protected checkGradShape(shape: ShapeOf): void {
    if (this.data !== null && !sameShapes(shape, shapesOf(this.data))) {
      this.fail(`gradient shape ${fmtShapes(shape)} does not match output shape ${fmtShapes(shapesOf(this.data))}`);
    }
  }

  protected checkDataType(data: Data): void {
    const other = otherDType(data, this.calctype);
    if (other !== null) this.fail(`expected dtype ${this.calctype}, got ${other}`);
  }

  protected checkGradType(grad: Data): void {
    const other = otherDType(grad, this.calctype);
    if (other !== null) this.fail(`expected gradient dtype ${this.calctype}, got ${other}`);
  }

  /** Throws a ModuleError that names this module. */
  protected fail(message: string): never {
    throw new ModuleError(`${this.describe()}: ${message}`);
  }

  describe(): string {
    return `${this.constructor.name}${this.name === null ? '' : ` '${this.name}'`}`;
  }

  zeroGradParams(): void {
    for (const v of Object.values(this.vars)) if (!v.hasUpdater) v.grad?.fill(0);
  }

  /** Plain gradient step without an optimizer: data += learnRate·grad (grads are neg-grads). */
  updateParams(learnRate: number): void {
    for (const v of Object.values(this.vars)) {
      if (v.hasUpdater) v.update(learnRate);
      else if (v.grad) Blas.toVectorAddVector(v.data, v.grad, learnRate);
    }
  }

  trainMode(): void {
    this.train = true;
    this.reset();
  }

  evalMode(): void {
    this.train = false;
    this.reset();
  }

  /** Drops the last output and gradient (and, in subclasses, saved statistics). */
  reset(): void {
    disposeData(this.data);
    disposeData(this.grad);
    this.data = this.grad = this.inData = null;
  }

  /** Float32 only, unless a subclass supports more. */
  calcMode(dtype: DType): void {
    if (dtype !== 'float32') this.fail(`does not support calcMode(${dtype})`);
    this.calctype = dtype;
  }

  /**
   * Variable → its names. A root module uses bare parameter names (PuzzleLib glues a root module's own name to
   * them without a dot, which optimizers then cannot resolve); containers prefix children with "child.".
   */
  getVarTable(table = new Map<Variable, string[]>(), prefix = ''): Map<Variable, string[]> {
    for (const [param, v] of Object.entries(this.vars)) {
      const names = table.get(v);
      if (names) names.push(prefix + param);
      else table.set(v, [prefix + param]);
    }
    return table;
  }

  setVar(name: string, variable: Variable): void {
    this.vars[name] = variable;
    noteStructureChange();
  }

  getVar(name: string): Variable {
    const v = this.vars[name];
    if (!v) this.fail(`has no variable '${name}' (has ${Object.keys(this.vars).join(', ') || 'none'})`);
    return v;
  }

  setAttr(name: string, value: GPUArray): void {
    this.attrs[name] = value;
  }

  getAttr(name: string): GPUArray {
    const a = this.attrs[name];
    if (!a) this.fail(`has no attribute '${name}'`);
    return a;
  }

  hasAttr(name: string): boolean {
    return name in this.attrs;
  }

  /** A graph node for this module with the given parents. */
  node(...parents: ParentSpec[]): Node {
    return new Node(this, parents);
  }

  numOfParams(): number {
    const unique = new Set(this.getVarTable().keys());
    return [...unique].reduce((n, v) => n + v.data.size, 0);
  }

  paramSize(): number {
    const unique = new Set(this.getVarTable().keys());
    return [...unique].reduce((n, v) => n + v.data.nbytes, 0);
  }

  /**
   * Saves the variables and attributes in PuzzleLib's HDF5 layout (params/links/attrs): to `path`, written
   * atomically, or to the returned bytes when no path is given.
   */
  save(path?: undefined, opts?: SaveOptions): Promise<Uint8Array>;
  save(path: string, opts?: SaveOptions): Promise<void>;
  save(path?: string, opts: SaveOptions = {}): Promise<Uint8Array | void> {
    return saveModule(this, path, opts);
  }

  /** Loads a PuzzleLib-layout checkpoint (a path or bytes); on any mismatch throws ModuleError and changes nothing. */
  load(source: string | Uint8Array, opts: CheckpointOptions = {}): Promise<void> {
    return loadModule(this, source, opts);
  }

  /** Releases variables, attributes, output and gradient. */
  dispose(): void {
    this.disposed = true;
    this.reset();
    for (const v of Object.values(this.vars)) v.dispose();
    for (const a of Object.values(this.attrs)) a.dispose();
    this.vars = {};
    this.attrs = {};
    noteStructureChange();
  }

  toString(): string {
    return this.describe();
  }
}

/**
 * Makes every array of `out` a handle this module owns: an input passed through unchanged, or one array listed
 * twice, becomes a view, so disposing the module's output never disposes the caller's arrays.
 */
function ownHandles(out: Data, input: Data): Data {
  // Most modules return one array: it only needs looking for among the inputs.
  if (out instanceof GPUArray) return holds(input, out) ? out.reshape(out.shape as number[]) : out;
  const foreign = new Set<GPUArray>();
  const collect = (d: Data) => (d instanceof GPUArray ? foreign.add(d) : d.forEach(collect));
  collect(input);
  const walk = (d: Data): Data => {
    if (!(d instanceof GPUArray)) return d.map(walk);
    if (foreign.has(d)) return d.reshape(d.shape as number[]);
    foreign.add(d);
    return d;
  };
  return walk(out);
}

function holds(data: Data, array: GPUArray): boolean {
  return data instanceof GPUArray ? data === array : data.some((d) => holds(d, array));
}
