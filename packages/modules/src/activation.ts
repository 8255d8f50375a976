import { kernels, type ActivationKind } from '@puzzle/backend';
import { asArray, type Data } from './data.js';
import { Module } from './module.js';

export type ActivationName = Exclude<ActivationKind, 'gelu'>;

export const sigmoid = 'sigmoid';
export const tanh = 'tanh';
export const relu = 'relu';
export const leakyRelu = 'leakyRelu';
export const elu = 'elu';
export const softPlus = 'softPlus';
export const clip = 'clip';

const DEFAULT_ARGS: Partial<Record<ActivationName, number[]>> = { leakyRelu: [0.01], elu: [1.0], clip: [0.0, 6.0] };
const NAMES: readonly ActivationName[] = [sigmoid, tanh, relu, leakyRelu, elu, softPlus, clip];

export interface ActivationOptions {
  /** Write the output over the input. */
  inplace?: boolean;
  /** leakyRelu: [slope]; elu: [alpha]; clip: [low, high]. */
  args?: number[];
  name?: string | null;
}

/** Elementwise nonlinearity; its backward reads the forward output. */
export class Activation extends Module {
  readonly activation: ActivationName;
  readonly args: readonly number[];

  constructor(activation: ActivationName, opts: ActivationOptions = {}) {
    super(opts.name ?? null);
    if (!NAMES.includes(activation)) this.fail(`unknown activation '${String(activation)}' (expected one of ${NAMES.join(', ')})`);
    this.activation = activation;
    this.args = opts.args ?? DEFAULT_ARGS[activation] ?? [];
    this.inplace = opts.inplace ?? false;
    this.gradUsesOutData = true;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Activation');
    const [a = 0, b = 0] = this.args;
    return kernels.activation(this.activation, x, { out: this.inplace ? x.reshape(x.shape as number[]) : undefined, a, b });
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Activation');
    const [a = 0, b = 0] = this.args;
    return kernels.activationGrad(this.activation, g, this.data as ReturnType<typeof asArray>, {
      out: this.inplace ? g.reshape(g.shape as number[]) : undefined,
      a,
      b,
    });
  }

  protected override checkDataShape(shape: readonly unknown[]): void {
    if (typeof shape[0] !== 'number' && shape.length > 0) this.fail('expects a single array');
  }
}
