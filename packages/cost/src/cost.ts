import { CostKernels, describeValue, findNonDevice, fmtShape, GPUArray, uploadHint } from '@puzzle/backend';
import { fail, requireSameBatch } from './checks.js';

/** What a module's call returns: an array or a nested list of arrays. A cost checks at run time that it fits. */
export type Tensors = GPUArray | readonly Tensors[];

export interface CostCallOptions {
  /** Return [error, grad] (default) or the grad alone. */
  queryError?: boolean;
}

/**
 * The base of every cost (PuzzleLib Cost/Cost.py). `call(pred, target)` checks the inputs, computes the gradient
 * and the error of the batch and returns `[error, grad]`, where grad is the descent direction: minus the derivative
 * of the error with respect to `pred` (PuzzleLib's sign). `error` is the mean error of the last batch;
 * `getMeanError()` averages over the samples seen since `resetAccumulator()`.
 *
 * As in PuzzleLib the errors stay on the device: `call(..., { queryError: false })` never waits for the GPU, and
 * `getError()` / `getMeanError()` read them back when asked (one synchronisation each).
 *
 * The cost owns its `grad`: it stays valid until the next `call`, `reset` or `dispose`.
 * The hooks (`checkDataShape`, `calcGrad`, ...) are public, as in PuzzleLib, so that Multi can drive other costs.
 */
export abstract class Cost<P = GPUArray, T = GPUArray, G = GPUArray, E = number> {
  error: E | null = null;
  valError: E | null = null;
  grad: G | null = null;
  batchsize = 0;
  numOfSamples = 0;
  /** Check label ranges before computing (PuzzleLib's Config.verifyData): one device reduction per call, read back. */
  verifyData = true;
  /** Whether pred is a list (L1Hinge's pair, Multi) rather than one array. */
  protected readonly takesList: boolean = false;
  protected dirty = true;
  /** PuzzleLib's devErr and accumErr: the last batch's mean error times its batch size, and their sum. */
  private deviceErrors: CostKernels.ErrorAccumulator | null = null;

  /** Name used in error messages. */
  get costName(): string {
    return this.constructor.name;
  }

  call(pred: P | Tensors, target: T): [E, G];
  call(pred: P | Tensors, target: T, opts: { queryError: false }): G;
  call(pred: P | Tensors, target: T, opts?: CostCallOptions): [E, G] | G;
  call(pred: P | Tensors, target: T, opts: CostCallOptions = {}): [E, G] | G {
    this.checkInputs(pred, target, false);
    const grad = this.calcGrad(pred, target);
    this.reset();
    this.grad = grad;
    this.calcError(pred, target);
    this.updateState(this.getBatchsize(pred));
    return opts.queryError === false ? grad : [this.getError(), grad];
  }

  /** A validation metric of the batch (often an error rate); the accumulators are untouched. */
  validate(pred: P | Tensors, target: T): E {
    this.checkInputs(pred, target, true);
    this.valError = this.calcVal(pred, target);
    return this.valError;
  }

  /** Array or list as the cost expects, batch-size agreement, shapes and dtypes, then label ranges. Throws CostError. */
  checkInputs(pred: P | Tensors, target: T, forValidation: boolean): asserts pred is P {
    for (const [arg, value] of [['pred', pred], ['target', target]] as const) {
      const found = value instanceof GPUArray ? null : findNonDevice(value);
      if (found !== null) fail(this.costName, `${arg} must be a GPUArray (or a list of them), got ${describeValue(found.bad)}${uploadHint(found.bad)}`);
    }
    if (!this.takesList && !(pred instanceof GPUArray)) fail(this.costName, `expects a single prediction array, got ${describeTensors(pred)}`);
    if (this.takesList && !Array.isArray(pred)) fail(this.costName, `expects a list of predictions, got ${describeTensors(pred)}`);
    if (pred instanceof GPUArray && target instanceof GPUArray) requireSameBatch(this.costName, pred, target);
    const p = pred as P;
    if (forValidation) this.checkValDataShape(p, target);
    else this.checkDataShape(p, target);
    if (this.verifyData) this.verifyLabels(p, target);
  }

  /**
   * Computes and returns the gradient; its kernel sends the batch's mean error times its batch size to
   * `errorTarget(scale)`, which also adds it to the running sum.
   */
  abstract calcGrad(pred: P, target: T): G;
  abstract calcVal(pred: P, target: T): E;

  /** The kernels of calcGrad have already accumulated the batch error on the device: getError() reads it anew. */
  calcError(_pred: P, _target: T): void {
    this.dirty = true;
  }

  /** Where calcGrad's kernel leaves its error: `scale` turns the kernel's summed error into mean × batch size. */
  protected errorTarget(scale: number): CostKernels.ErrorTarget {
    this.deviceErrors ??= new CostKernels.ErrorAccumulator();
    return { errors: this.deviceErrors, scale };
  }

  /** The device errors in one read; zeros before the first batch. */
  private readErrors(): { last: number; total: number } {
    return this.deviceErrors?.read() ?? { last: 0, total: 0 };
  }

  checkDataShape(_pred: P, _target: T): void {}

  checkValDataShape(pred: P, target: T): void {
    this.checkDataShape(pred, target);
  }

  verifyLabels(_pred: P, _target: T): void {}

  getBatchsize(pred: P): number {
    return (pred as GPUArray).shape[0]!;
  }

  updateState(samples: number): void {
    this.batchsize = samples;
    this.numOfSamples += samples;
  }

  /** Mean error of the last batch; reads it from the device once per batch. */
  getError(): E {
    if (this.dirty) {
      this.error = (this.readErrors().last / this.batchsize) as E;
      this.dirty = false;
    }
    return this.error as E;
  }

  /** Sample-weighted mean error since the last resetAccumulator(); reads it from the device. */
  getMeanError(): E {
    return (this.readErrors().total / this.numOfSamples) as E;
  }

  getValError(): E | null {
    return this.valError;
  }

  resetAccumulator(): void {
    this.resetDeviceAccumulator();
    this.batchsize = 0;
    this.numOfSamples = 0;
  }

  resetDeviceAccumulator(): void {
    this.deviceErrors?.resetTotal();
  }

  /** Drops the last error, validation error and gradient (disposing the gradient). */
  reset(): void {
    if (this.grad !== null) this.disposeGrad(this.grad);
    this.error = null;
    this.valError = null;
    this.grad = null;
  }

  dispose(): void {
    this.reset();
    this.deviceErrors?.dispose();
    this.deviceErrors = null;
  }

  protected disposeGrad(grad: G): void {
    (grad as GPUArray).dispose();
  }
}

function describeTensors(x: unknown): string {
  if (x instanceof GPUArray) return `an array ${fmtShape(x.shape)}`;
  return Array.isArray(x) ? `a list of ${x.length}` : String(x);
}
