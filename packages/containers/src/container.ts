import { GPUArray, type DType } from '@puzzle/backend';
import { AnomalyError, disposeData, Module, noteStructureChange, shapesOf, type BackwardOptions, type Data, type Variable } from '@puzzle/modules';
import { ContainerError } from './container-error.js';

export type ChildBackward = Required<BackwardOptions>;

/**
 * A module made of named child modules (insertion ordered). Forward and backward run through the children;
 * the container's `data` and `grad` are views of its children's arrays, so disposing them frees nothing the
 * children still use.
 */
export abstract class Container extends Module {
  readonly modules = new Map<string, Module>();
  /** A view over modules placed elsewhere (Sequential.slice): it neither claims nor checks their place. */
  protected sharesModules = false;

  constructor(name: string | null = null) {
    super(name);
  }

  /**
   * Adds a child, named by its position when unnamed; a name clash renames it (acquire) or is an error. A module
   * already placed in a container (this one included) is refused: its output and gradient belong to its last call,
   * so a second place would read arrays the first one has replaced.
   */
  append(mod: Module, acquire = true): this {
    const holder = this.sharesModules ? undefined : placedIn.get(mod);
    if (holder !== undefined && holder.holds(mod)) {
      const where = holder === this ? 'this container' : holder.describe();
      this.fail(`cannot append ${mod.describe()}: it is already placed in ${where} as '${mod.name}', and a module sits in one place only; build another one`);
    }
    if (mod.name === null) mod.name = String(this.modules.size);
    if (this.modules.has(mod.name)) {
      if (!acquire) this.fail(`already holds a module named '${mod.name}'`);
      mod.name = String(this.modules.size);
      if (this.modules.has(mod.name)) this.fail(`cannot name ${mod.describe()}: '${mod.name}' is taken`);
    }
    this.modules.set(mod.name, mod);
    if (!this.sharesModules) placedIn.set(mod, this);
    noteStructureChange();
    return this;
  }

  /** Lets go of every child without disposing it: a container whose construction failed gives its modules back. */
  protected releaseChildren(): void {
    for (const mod of this.modules.values()) if (placedIn.get(mod) === this) placedIn.delete(mod);
    this.modules.clear();
  }

  /** Whether `mod` is one of this container's children. */
  holds(mod: Module): boolean {
    return mod.name !== null && this.modules.get(mod.name) === mod;
  }

  removeModule(mod: Module): Module {
    if (mod.name === null || this.modules.get(mod.name) !== mod) this.fail(`does not hold ${mod.describe()}`);
    this.modules.delete(mod.name);
    if (placedIn.get(mod) === this) placedIn.delete(mod);
    noteStructureChange();
    return mod;
  }

  /** The child with this name, searched recursively through nested containers; null when absent. */
  getByName(name: string): Module | null {
    const own = this.modules.get(name);
    if (own) return own;
    for (const mod of this.modules.values()) {
      const found = mod instanceof Container ? mod.getByName(name) : null;
      if (found) return found;
    }
    return null;
  }

  /** Every descendant of a class (a matching container is returned, not searched). */
  getAllByType<T extends Module>(cls: abstract new (...args: never[]) => T): T[] {
    return [...this.modules.values()].flatMap((mod) => {
      if (mod instanceof cls) return [mod];
      return mod instanceof Container ? mod.getAllByType(cls) : [];
    });
  }

  /** "child.rest": the variable `rest` of the child `child` (recursively). */
  override setVar(name: string, variable: Variable): void {
    const [child, rest] = this.childOf(name);
    child.setVar(rest, variable);
  }

  override getVar(name: string): Variable {
    const [child, rest] = this.childOf(name);
    return child.getVar(rest);
  }

  /** Children's variables as "child.param" (recursively "child.grandchild.param"); the root's own name is not used. */
  override getVarTable(table = new Map<Variable, string[]>(), prefix = ''): Map<Variable, string[]> {
    for (const mod of this.modules.values()) mod.getVarTable(table, `${prefix}${mod.name}.`);
    return table;
  }

  private childOf(name: string): [Module, string] {
    const dot = name.indexOf('.');
    if (dot < 0) this.fail(`variable name '${name}' has no dot (expected 'child.variable')`);
    const child = this.modules.get(name.slice(0, dot));
    if (!child) this.fail(`has no module '${name.slice(0, dot)}' (looking up variable '${name}')`);
    return [child, name.slice(dot + 1)];
  }

  /** A container's own attributes are stored as "<container name>.<attr>", as PuzzleLib's checkpoints spell them. */
  override setAttr(name: string, value: GPUArray): void {
    super.setAttr(`${this.name ?? ''}.${name}`, value);
  }

  override getAttr(name: string): GPUArray {
    return super.getAttr(`${this.name ?? ''}.${name}`);
  }

  override hasAttr(name: string): boolean {
    return super.hasAttr(`${this.name ?? ''}.${name}`);
  }

  override zeroGradParams(): void {
    for (const mod of this.modules.values()) mod.zeroGradParams();
  }

  override updateParams(learnRate: number): void {
    for (const mod of this.modules.values()) mod.updateParams(learnRate);
  }

  override trainMode(): void {
    super.trainMode();
    for (const mod of this.modules.values()) mod.trainMode();
  }

  override evalMode(): void {
    super.evalMode();
    for (const mod of this.modules.values()) mod.evalMode();
  }

  override reset(): void {
    super.reset();
    for (const mod of this.modules.values()) mod.reset();
  }

  override calcMode(dtype: DType): void {
    for (const [name, mod] of this.modules) this.runChild(`module '${name}'`, mod, () => mod.calcMode(dtype));
    this.calctype = dtype;
  }

  /** Releases the children too. */
  override dispose(): void {
    for (const mod of this.modules.values()) mod.dispose();
    super.dispose();
  }

  protected updateData(data: Data): Data {
    return viewsOf(this.forwardChildren(data));
  }

  protected updateGrad(_grad: Data): Data {
    this.fail('runs backward through its children');
  }

  /** Runs the children; returns the output (arrays owned by children). */
  protected abstract forwardChildren(data: Data): Data;

  /** Runs the children backward; returns the input gradient (owned by children), or null without one. */
  protected abstract backwardChildren(grad: Data, opts: ChildBackward): Data | null;

  /** Containers accumulate parameter gradients by default (momentum 1), so clear them before each backward. */
  override backward(grad: Data, opts: BackwardOptions = {}): void {
    this.checkUsable('backward', 'grad', grad);
    if (this.inData === null) this.fail('backward called before forward');
    this.checkGradShape(shapesOf(grad));
    const { updParamGrads = true, updGrad = true, scale = 1.0, momentum = 1.0 } = opts;
    const inGrad = this.backwardChildren(grad, { updParamGrads, updGrad, scale, momentum });
    const owned = inGrad === null ? null : viewsOf(inGrad);
    disposeData(this.grad);
    this.grad = owned;
  }

  /** Runs `fn` for a child, re-raising its failure as a ContainerError naming the child. */
  protected runChild<T>(label: string, mod: Module, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.childFailure(label, mod, e);
    }
  }

  /**
   * The ContainerError runChild raises when the child `mod` (called `label` here) failed with `e`; an AnomalyError
   * passes as it is, since it already names the module where the non-finite value appeared.
   */
  protected childFailure(label: string, mod: Module, e: unknown): Error {
    if (e instanceof AnomalyError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new ContainerError(`${this.describe()}: ${label} (${mod.describe()}): ${message}`, e);
  }

  // Containers take whatever dtypes their children take.
  protected override checkDataType(_data: Data): void {}
  protected override checkGradType(_grad: Data): void {}

  protected override fail(message: string): never {
    throw new ContainerError(`${this.describe()}: ${message}`);
  }

  /** Module declares these flags as plain fields; a container derives them from its children on every read. */
  protected deriveFlag(flag: 'gradUsesOutData' | 'inplace', get: () => boolean): void {
    Object.defineProperty(this, flag, { get, set: () => {}, enumerable: true, configurable: true });
  }
}

/** The container each module was appended to, so that a second place is refused (WeakMap: modules may be collected). */
const placedIn = new WeakMap<Module, Container>();

/** New handles (full views) onto every array of `data`. */
function viewsOf(data: Data): Data {
  return data instanceof GPUArray ? data.slice() : data.map(viewsOf);
}
