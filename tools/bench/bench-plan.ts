import type { Float32MatmulPrecision } from '@puzzle/backend';
import type { TimingPlan } from './step-timer.js';

/**
 * What each benchmark case trains, in sizes every side reads: the Puzzle runner builds its nets from this, and the
 * same object goes to torch_peer.py as JSON, so the two frameworks cannot drift apart in shapes or step counts.
 */
export interface MlpModel {
  readonly kind: 'mlp';
  readonly batch: number;
  /** Layer sizes, input first. */
  readonly sizes: readonly number[];
  /** One flag per Linear layer. */
  readonly bias: readonly boolean[];
}

/** PuzzleLib's loadLeNet on MNIST-shaped (batch, 1, 28, 28) data with 10 classes and CrossEntropy. */
export interface LeNetModel {
  readonly kind: 'lenet';
  readonly batch: number;
}

/** The Adam update alone over one flat parameter vector. */
export interface AdamOnlyModel {
  readonly kind: 'adam';
  readonly params: number;
}

export type CaseModel = MlpModel | LeNetModel | AdamOnlyModel;

/** Case (b) comes in three precisions: 'b' in fp32, 'b-tf32' and 'b-bf16' on tensor cores. */
export type CaseId = 'a' | 'b' | 'b-tf32' | 'b-bf16' | 'c' | 'd';

/** Named as in torch.set_float32_matmul_precision, which the PyTorch peer calls with the same value. */
export type MatmulPrecision = Float32MatmulPrecision;

/** fp32 products: what both frameworks do unless told otherwise, and what the device ceilings are measured at. */
export const DEFAULT_MATMUL_PRECISION: MatmulPrecision = 'highest';

/** The number format tensor cores may round float32 operands to at each precision, as the report names it. */
export type MatmulFormat = 'fp32' | 'TF32' | 'bf16';

export const MATMUL_FORMATS: Readonly<Record<MatmulPrecision, MatmulFormat>> = { highest: 'fp32', high: 'TF32', medium: 'bf16' };

export interface CaseSpec {
  readonly id: CaseId;
  /** A short name; describeCase adds the sizes, read off the model so a scaled plan cannot mislabel them. */
  readonly title: string;
  readonly model: CaseModel;
  readonly timing: TimingPlan;
  /** The doc loop reads the error every 5th step; 0 for the optimizer-only case. */
  readonly errorEvery: number;
  /** Float32 matmul precision of both sides for this case; DEFAULT_MATMUL_PRECISION when absent. */
  readonly matmulPrecision?: MatmulPrecision;
}

export function matmulPrecisionOf(spec: CaseSpec): MatmulPrecision {
  return spec.matmulPrecision ?? DEFAULT_MATMUL_PRECISION;
}

/** The plan with every case's precision spelled out, as the PyTorch peer reads it and bench.json keeps it. */
export function withExplicitPrecisions(plan: BenchPlan): BenchPlan {
  return { ...plan, cases: plan.cases.map((spec) => ({ ...spec, matmulPrecision: matmulPrecisionOf(spec) })) };
}

/** Device ceilings measured in the same call: a large copy and a large fp32 (not TF32) matrix product. */
export interface ProbeSpec {
  readonly copyElements: number;
  readonly gemmSize: number;
  readonly timing: TimingPlan;
}

export interface BenchPlan {
  readonly cases: readonly CaseSpec[];
  readonly probes: ProbeSpec | null;
  readonly adam: { readonly alpha: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  /** Seed of the data each side draws (values differ between frameworks; shapes and distributions do not). */
  readonly seed: number;
}

/** PuzzleLib's trainSimpleTest net: Linear 128-64-32-16, the first two without bias, ReLU between. */
export function trainSimpleModel(): MlpModel {
  return { kind: 'mlp', batch: 16, sizes: [128, 64, 32, 16], bias: [false, false, true] };
}

export const PUZZLELIB_ADAM = { alpha: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export function checkBenchPlan(plan: BenchPlan): void {
  for (const spec of plan.cases) {
    const { model, timing, errorEvery } = spec;
    if (model.kind === 'mlp' && model.bias.length !== model.sizes.length - 1) {
      throw new RangeError(`case ${spec.id}: ${model.sizes.length - 1} layers but ${model.bias.length} bias flags`);
    }
    // Each repeat must hold the same number of error reads, else repeats are not alike.
    if (errorEvery > 0 && (timing.stepsPerRepeat % errorEvery !== 0 || timing.warmupSteps % errorEvery !== 0)) {
      throw new RangeError(`case ${spec.id}: steps per repeat and warm-up must be multiples of ${errorEvery}`);
    }
  }
}

function parameterCount(params: number): string {
  return params >= 1e6 ? `${params / 1e6}M` : params >= 1e3 ? `${params / 1e3}k` : String(params);
}

/** The case's name with its sizes, e.g. "(a) trainSimpleTest net: MLP 128-64-32-16, batch 16, MSE". */
export function describeCase(spec: CaseSpec): string {
  const { model } = spec;
  const sizes =
    model.kind === 'mlp'
      ? `MLP ${model.sizes.join('-')}, batch ${model.batch}, MSE`
      : model.kind === 'lenet'
        ? `batch ${model.batch} of 1x28x28, CrossEntropy`
        : `${parameterCount(model.params)} parameters`;
  return `(${spec.id}) ${spec.title}: ${sizes}`;
}
