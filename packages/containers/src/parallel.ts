import { fmtShapes, isShape, type Data, type Module, type ShapeOf } from '@puzzle/modules';
import { Container, type ChildBackward } from './container.js';

/** Branches side by side: a list in (one entry per branch), a list out. */
export class Parallel extends Container {
  readonly graph: Module[] = [];

  constructor(name: string | null = null) {
    super(name);
    this.deriveFlag('gradUsesOutData', () => this.graph.some((m) => m.gradUsesOutData));
    this.deriveFlag('inplace', () => this.graph.slice(0, -1).some((m) => m.inplace));
  }

  get length(): number {
    return this.graph.length;
  }

  override append(mod: Module, acquire = true): this {
    super.append(mod, acquire);
    this.graph.push(mod);
    return this;
  }

  extend(mods: Parallel | readonly Module[], acquire = true): this {
    for (const mod of mods instanceof Parallel ? [...mods.graph] : mods) this.append(mod, acquire);
    return this;
  }

  pop(): Module {
    const mod = this.graph.at(-1);
    if (!mod) this.fail('pop from an empty Parallel');
    this.removeModule(mod);
    this.graph.pop();
    return mod;
  }

  getByIndex(index: number): Module {
    const mod = this.graph.at(index);
    if (!mod || !Number.isInteger(index)) this.fail(`has no branch at index ${index} (length ${this.graph.length})`);
    return mod;
  }

  /** A new Parallel over branches start, start+step, ... before end, sharing the module objects. */
  slice(start = 0, end = this.graph.length, step = 1): Parallel {
    if (!Number.isInteger(step) || step < 1) this.fail(`slice step must be a positive integer, got ${step}`);
    const view = new Parallel();
    view.sharesModules = true;
    return view.extend(this.graph.slice(start, end).filter((_, i) => i % step === 0));
  }

  protected forwardChildren(data: Data): Data {
    const xs = data as Data[];
    return this.graph.map((mod, i) => this.runChild(`branch ${i}`, mod, () => mod.call(xs[i]!)));
  }

  protected backwardChildren(grad: Data, opts: ChildBackward): Data | null {
    const gs = grad as Data[];
    this.graph.forEach((mod, i) => this.runChild(`branch ${i}`, mod, () => mod.backward(gs[i]!, opts)));
    return opts.updGrad ? this.graph.map((mod) => mod.grad!) : null;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return this.graph.map((mod, i) => mod.dataShapeFrom((shape as ShapeOf[])[i]!));
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return this.graph.map((mod, i) => mod.gradShapeFrom((shape as ShapeOf[])[i]!));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (isShape(shape) || shape.length !== this.graph.length) {
      this.fail(`expects a list of ${this.graph.length} inputs (one per branch), got ${fmtShapes(shape)}`);
    }
  }
}
