import type { DType, GPUArray, SharedArray } from '@puzzle/backend';
import { noteTrainingStep, watchAnomalies, type AnomalyWatch, type Module, type Variable, type VariableOwner } from '@puzzle/modules';
import { checkpointOf, restoreCheckpoint, stateEntries, type OptimizerCheckpoint } from './checkpoint.js';
import { buildGlobalBuffers, checkTrainable } from './global-state.js';
import type { Hook, OptimizerState } from './hook.js';
import { OptimizerError } from './optimizer-error.js';
import { loadOptimizer, saveOptimizer, type OptimizerFileOptions } from './io/optimizer-file.js';
import { VariableWatch } from './variable-watch.js';

export interface SetupOptions {
  /** Pack all variables of a dtype into one buffer updated by one fused kernel per step (PuzzleLib's global state). */
  useGlobalState?: boolean;
  /**
   * Take over variables that another optimizer is set up on: that optimizer is detached (its state freed, its
   * update() an error). Without it, setupOn refuses such a module, naming the other optimizer.
   */
  takeOver?: boolean;
}

export interface OptimizerOptions {
  /** Multi-process node information (PuzzleLib Grid); not supported yet, must be null. */
  nodeinfo?: unknown;
  /**
   * Anomaly detection on the module this optimizer is set up on (setDetectAnomaly for one net): the first NaN or
   * ±Inf a module's forward or backward produces is an AnomalyError naming it and the step (t + 1).
   */
  detectAnomaly?: boolean;
}

/** The key of a dtype's state in global mode: numpy's str() of the dtype type, so checkpoints match PuzzleLib's. */
export function globalStateKey(dtype: DType): string {
  return `<class 'numpy.${dtype}'>`;
}

/**
 * The base of every optimizer (PuzzleLib Optimizers/Optimizer.py). `setupOn(module)` creates the state of each
 * variable (local mode, keyed by the variable's first var-table name) or packs the variables into shared buffers
 * (global mode, keyed by dtype); `update()` increments `t`, runs the hooks and updates every variable in place with
 * its fused kernel (one launch per dtype in global mode), then calls custom updaters with `learnRate`.
 * The optimizer owns its state and shared buffers; `dispose()` frees them.
 */
export abstract class Optimizer implements VariableOwner {
  t = 0;
  learnRate = 0;
  /** Names of the persisted attributes (save/load). */
  readonly attrs = new Set<string>(['t', 'learnRate']);
  module: Module | null = null;
  /** State arrays by key: a variable's first name (local mode) or globalStateKey(dtype) (global mode). */
  readonly states = new Map<string, OptimizerState>();
  readonly hooks: Hook[] = [];
  globalState = false;
  shParams = new Map<DType, SharedArray>();
  shGrads = new Map<DType, SharedArray>();
  /** Global mode: one Variable over each dtype's whole param and grad buffers. */
  globalVar = new Map<DType, Variable>();
  /** First names of variables with a custom updater, updated with `var.update(learnRate)`. */
  customVars: string[] = [];
  /** The variables set up on, claimed for this optimizer; null until setupOn and after dispose. */
  private watch: VariableWatch | null = null;
  /** Why this optimizer no longer works, once disposed or detached by another; null while it can be set up or used. */
  private retired: string | null = null;
  /** The anomaly detection it puts on its module (detectAnomaly), reporting step t + 1. */
  private readonly anomalyWatch: AnomalyWatch | null;

  constructor(opts: OptimizerOptions = {}) {
    if (opts.nodeinfo !== undefined && opts.nodeinfo !== null) this.fail('multi-node training (nodeinfo) is not supported yet');
    this.anomalyWatch = opts.detectAnomaly ? { step: () => this.t + 1 } : null;
  }

  get optimizerName(): string {
    return this.constructor.name;
  }

  get ownerName(): string {
    return this.module === null ? this.optimizerName : `${this.optimizerName} (set up on ${this.module.describe()})`;
  }

  /** Sets a persisted attribute (a hyper-parameter, t or learnRate). */
  setAttr(name: string, value: number): void {
    (this as unknown as Record<string, number>)[name] = value;
    this.attrs.add(name);
  }

  getAttrDict(): Record<string, number> {
    const self = this as unknown as Record<string, number>;
    return Object.fromEntries([...this.attrs].map((name) => [name, self[name]!]));
  }

  addHook(hook: Hook): void {
    this.hooks.push(hook);
  }

  /**
   * Creates the state for `module`'s variables (packed into shared buffers with useGlobalState) and claims them: a
   * module whose variables another live optimizer holds is refused, naming it, unless `takeOver` detaches that one.
   */
  setupOn(module: Module, opts: SetupOptions = {}): void {
    if (this.module !== null) this.fail(`setupOn(${module.describe()}): already set up on ${this.module.describe()}; an optimizer serves one module (dispose() it to set it up again)`);
    const table = module.getVarTable();
    if (table.size === 0) this.fail(`${module.describe()} has no parameters to optimize`);
    const others = VariableWatch.heldByOthers(table, this);
    if (others.size > 0 && !opts.takeOver) this.fail(heldMessage(module, others));
    if (opts.useGlobalState) this.setupGlobalState(module, table);
    else this.setupLocalStates(table);
    this.module = module;
    this.retired = null;
    for (const other of others.keys()) other.detach(this);
    this.watch = new VariableWatch(module, this);
    if (this.anomalyWatch !== null) watchAnomalies(module, this.anomalyWatch);
  }

  zeroGradParams(): void {
    const module = this.requireModule('zeroGradParams');
    if (this.globalState) for (const v of this.globalVar.values()) v.grad!.fill(0);
    else for (const name of this.states.keys()) module.getVar(name).grad?.fill(0);
  }

  update(): void {
    const module = this.requireModule('update');
    const local = this.globalState ? [] : [...this.states].map(([name, state]) => ({ name, state, v: module.getVar(name) }));
    local.forEach(({ name, v }) => checkTrainable(this.optimizerName, name, v));
    this.t += 1;
    if (this.globalState) this.updateGlobalState();
    for (const { v, state } of local) this.updateOne(v, state);
    for (const name of this.customVars) module.getVar(name).update(this.learnRate);
    noteTrainingStep();
  }

  /** Fresh state for a variable (its whole buffer in global mode); none by default. */
  protected setupState(_variable: Variable): OptimizerState {
    return {};
  }

  /** Updates one variable in place with the optimizer's fused kernel. */
  protected abstract updateVar(variable: Variable, state: OptimizerState): void;

  /** The live state arrays keyed "<stateKey>.<entity>", as in PuzzleLib's checkpoint "states" group. */
  stateDict(): Record<string, GPUArray> {
    return stateEntries(this.states);
  }

  /** Host copies of the attributes and state (the in-memory form of PuzzleLib's optimizer checkpoint). */
  save(): OptimizerCheckpoint;
  /** Writes them to an HDF5 file in PuzzleLib's layout (atomically); saveOptimizer() also gives bytes. */
  save(path: string, opts?: OptimizerFileOptions): Promise<void>;
  save(path?: string, opts?: OptimizerFileOptions): OptimizerCheckpoint | Promise<void> {
    if (path !== undefined) return saveOptimizer(this, path, opts) as Promise<void>;
    return checkpointOf(this.getAttrDict(), this.states);
  }

  /** Restores attributes and state; the state must be set up and match. Nothing changes if anything mismatches. */
  load(checkpoint: OptimizerCheckpoint): void;
  /** The same from a PuzzleLib-layout HDF5 file (a path or its bytes). */
  load(source: string | Uint8Array, opts?: OptimizerFileOptions): Promise<void>;
  load(checkpoint: OptimizerCheckpoint | string | Uint8Array, opts?: OptimizerFileOptions): void | Promise<void> {
    if (typeof checkpoint === 'string' || checkpoint instanceof Uint8Array) return loadOptimizer(this, checkpoint, opts);
    restoreCheckpoint(this.optimizerName, checkpoint, this.attrs, this.states);
    for (const [name, value] of Object.entries(checkpoint.attrs)) this.setAttr(name, value);
  }

  /** Frees the state and the shared buffers (module variables keep their own views) and gives the variables up. */
  dispose(): void {
    this.watch?.release();
    this.freeState();
    this.retired = 'was disposed (dispose() freed its state); set it up again with setupOn(module) to use it';
  }

  /** Another optimizer took this one's variables over: its state goes, and update() says who took it. */
  detach(by: VariableOwner): void {
    const module = this.module?.describe() ?? 'its module';
    this.freeState();
    this.retired = `was detached: ${by.ownerName} took over the variables of ${module} (setupOn with takeOver), so this optimizer updates nothing any more; use that one, or dispose() this one`;
  }

  protected fail(message: string): never {
    throw new OptimizerError(`${this.optimizerName}: ${message}`);
  }

  /** The module to work on, once this optimizer is set up, not retired, and its module has the variables it had. */
  private requireModule(what: string): Module {
    if (this.retired !== null) this.fail(`${what}(): this optimizer ${this.retired}`);
    if (this.module === null) this.fail(`${what}(): not set up on a module yet; call setupOn(module) first`);
    const changed = this.watch!.changes();
    if (changed !== null) this.fail(`${what}(): ${changed}; set an optimizer up on the module as it is now (dispose() this one, then setupOn)`);
    return this.module;
  }

  private freeState(): void {
    if (this.anomalyWatch !== null && this.module !== null) watchAnomalies(this.module, null, this.anomalyWatch);
    for (const state of this.states.values()) for (const a of Object.values(state)) a.dispose();
    for (const sa of [...this.shParams.values(), ...this.shGrads.values()]) sa.dispose();
    this.states.clear();
    this.shParams = new Map();
    this.shGrads = new Map();
    this.globalVar = new Map();
    this.customVars = [];
    this.globalState = false;
    this.module = null;
    this.watch = null;
  }

  private setupLocalStates(table: Map<Variable, string[]>): void {
    for (const [v, names] of table) checkTrainable(this.optimizerName, names[0]!, v);
    for (const [v, names] of table) {
      if (v.hasUpdater) this.customVars.push(names[0]!);
      else this.states.set(names[0]!, this.setupState(v));
    }
  }

  private setupGlobalState(module: Module, table: Map<Variable, string[]>): void {
    const buffers = buildGlobalBuffers(this.optimizerName, module, table);
    this.globalState = true;
    this.shParams = buffers.params;
    this.shGrads = buffers.grads;
    this.globalVar = buffers.vars;
    this.customVars = buffers.custom;
    for (const [dtype, v] of this.globalVar) this.states.set(globalStateKey(dtype), this.setupState(v));
  }

  private updateGlobalState(): void {
    for (const [dtype, v] of this.globalVar) this.updateOne(v, this.states.get(globalStateKey(dtype))!);
  }

  private updateOne(v: Variable, state: OptimizerState): void {
    for (const hook of this.hooks) hook.call(v, state);
    if (v.learnRate > 0) this.updateVar(v, state);
  }
}

function heldMessage(module: Module, others: Map<VariableOwner, string[]>): string {
  const [owner, names] = [...others][0]!;
  const shown = names.slice(0, 3).map((n) => `'${n}'`).join(', ') + (names.length > 3 ? `, … (${names.length})` : '');
  return (
    `cannot set up on ${module.describe()}: its variables ${shown} are held by ${owner.ownerName}, and a second optimizer ` +
    `would silently take them from it; dispose() that optimizer first, or pass { takeOver: true } to detach it`
  );
}
