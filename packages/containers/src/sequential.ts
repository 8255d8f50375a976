import type { Data, Module, ShapeOf } from '@puzzle/modules';
import { Container, type ChildBackward } from './container.js';

/** A chain of modules: each one's output feeds the next. */
export class Sequential extends Container {
  readonly graph: Module[] = [];

  constructor(name: string | null = null) {
    super(name);
    this.deriveFlag('gradUsesOutData', () => this.lastDataMover()?.gradUsesOutData ?? false);
    this.deriveFlag('inplace', () => this.firstIsInplace() || this.lastIsInplace());
  }

  get length(): number {
    return this.graph.length;
  }

  /** Appends a module (chainable); an in-place module may not follow one whose backward reads its output. */
  override append(mod: Module, acquire = true): this {
    this.checkCompatibility(this.graph.length - 1, mod);
    super.append(mod, acquire);
    this.graph.push(mod);
    return this;
  }

  extend(mods: Sequential | readonly Module[], acquire = true): this {
    for (const mod of mods instanceof Sequential ? [...mods.graph] : mods) this.append(mod, acquire);
    return this;
  }

  pop(): Module {
    const mod = this.graph.at(-1);
    if (!mod) this.fail('pop from an empty Sequential');
    this.removeModule(mod);
    this.graph.pop();
    return mod;
  }

  insert(mod: Module, index: number): this {
    if (!Number.isInteger(index) || index < 0 || index > this.graph.length) this.fail(`insert index ${index} out of range 0..${this.graph.length}`);
    this.checkCompatibility(index - 1, mod);
    super.append(mod);
    this.graph.splice(index, 0, mod);
    return this;
  }

  insertAfter(mod: Module, name: string): this {
    return this.insert(mod, this.getModuleIndex(name) + 1);
  }

  /** The module at `index` (negative counts from the end). */
  getByIndex(index: number): Module {
    const mod = this.graph.at(index);
    if (!mod || !Number.isInteger(index)) this.fail(`has no module at index ${index} (length ${this.graph.length})`);
    return mod;
  }

  getModuleIndex(name: string): number {
    const index = this.graph.findIndex((m) => m.name === name);
    if (index < 0) this.fail(`has no module named '${name}'`);
    return index;
  }

  /** A new Sequential over modules [start, end) — the same module objects, not copies (PuzzleLib's seq[a:b]). */
  slice(start?: number, end?: number): Sequential {
    const view = new Sequential();
    view.sharesModules = true;
    return view.extend(this.graph.slice(start, end));
  }

  // The loops below do runChild's work inline: they run on every step, and a child's label is only needed when the
  // child fails.
  protected forwardChildren(data: Data): Data {
    let x = data;
    for (let i = 0; i < this.graph.length; i++) {
      const mod = this.graph[i]!;
      try {
        x = mod.call(x);
      } catch (e) {
        throw this.childFailure(`module ${i}`, mod, e);
      }
    }
    return x;
  }

  /** Walks the chain backwards; only the first module's input gradient is optional (updGrad). */
  protected backwardChildren(grad: Data, opts: ChildBackward): Data | null {
    let g: Data | null = grad;
    for (let i = this.graph.length - 1; i >= 0; i--) {
      const mod = this.graph[i]!;
      try {
        mod.backward(g!, { ...opts, updGrad: i === 0 ? opts.updGrad : true });
      } catch (e) {
        throw this.childFailure(`module ${i}`, mod, e);
      }
      g = mod.grad;
    }
    return g;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return this.graph.reduce((s, mod) => mod.dataShapeFrom(s), shape);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return this.graph.reduceRight((s, mod) => mod.gradShapeFrom(s), shape);
  }

  /**
   * An in-place module overwrites its input, which is the output of the module before it (or, through modules
   * that only move data, of an earlier one); that module's backward must not need it.
   */
  private checkCompatibility(before: number, mod: Module): void {
    if (!mod.inplace) return;
    for (let i = before; i >= 0; i--) {
      const prev = this.graph[i]!;
      if (prev.gradUsesOutData) {
        this.fail(`cannot place in-place ${mod.describe()} after module ${i} (${prev.describe()}), whose backward reads its output`);
      }
      if (!prev.movesData) return;
    }
  }

  private lastDataMover(): Module | undefined {
    return this.graph.findLast((m) => !m.movesData);
  }

  private firstIsInplace(): boolean {
    return this.graph.find((m) => !m.movesData)?.inplace ?? false;
  }

  private lastIsInplace(): boolean {
    return this.graph.findLast((m) => !m.movesGrad)?.inplace ?? false;
  }
}
