import type { GPUArray } from '@puzzle/backend';
import { disposeData, Module, type BackwardOptions, type Data, type Variable } from '@puzzle/modules';

const view = (d: Data): Data => (d as GPUArray).reshape([...(d as GPUArray).shape]);

/**
 * A minimal Sequential for optimizer tests, independent of @puzzle/containers: children named "0", "1", ...,
 * var-table names "child.param", dotted setVar/getVar, backward accumulating with momentum 1 like PuzzleLib's.
 */
export class Chain extends Module {
  readonly children: Module[];

  constructor(children: Module[]) {
    super(null);
    this.children = children;
    children.forEach((m, i) => (m.name ??= String(i)));
  }

  protected updateData(data: Data): Data {
    let x = data;
    for (const m of this.children) x = m.call(x);
    return view(x);
  }

  protected updateGrad(): Data {
    throw new Error('Chain overrides backward');
  }

  override backward(grad: Data, opts: BackwardOptions = {}): void {
    const { scale = 1, momentum = 1, updParamGrads = true } = opts;
    let g = grad;
    for (const m of [...this.children].reverse()) {
      m.backward(g, { scale, momentum, updParamGrads });
      g = m.grad!;
    }
    disposeData(this.grad);
    this.grad = view(g);
  }

  override getVarTable(table = new Map<Variable, string[]>(), prefix = ''): Map<Variable, string[]> {
    for (const m of this.children) m.getVarTable(table, `${prefix}${m.name}.`);
    return table;
  }

  override setVar(name: string, v: Variable): void {
    const [child, rest] = this.split(name);
    child.setVar(rest, v);
  }

  override getVar(name: string): Variable {
    const [child, rest] = this.split(name);
    return child.getVar(rest);
  }

  override zeroGradParams(): void {
    this.children.forEach((m) => m.zeroGradParams());
  }

  override dispose(): void {
    super.dispose();
    this.children.forEach((m) => m.dispose());
  }

  private split(name: string): [Module, string] {
    const dot = name.indexOf('.');
    const child = this.children.find((m) => m.name === name.slice(0, dot));
    if (dot < 0 || !child) throw new Error(`Chain has no variable '${name}'`);
    return [child, name.slice(dot + 1)];
  }
}

/** A module holding the given variables, for tests that only need a var table. */
export class Holder extends Module {
  constructor(vars: Record<string, Variable>) {
    super(null);
    this.vars = vars;
  }

  protected updateData(data: Data): Data {
    return data;
  }

  protected updateGrad(grad: Data): Data {
    return grad;
  }
}
