import type { TypedArray } from '../../dtype.js';
import type { ArrayRef, DeviceBuffer, ElementwiseOp, Engine, GemmOptions, OptimizerRule, ReduceKind } from '../../engine/engine.js';
import { BackendError } from '../../errors.js';
import { Rng } from '../../random.js';
import { sizeOf } from '../../shape.js';
import type { CostOps } from '../../engine/cost-ops.js';
import type { DnnEngine } from '../../engine/dnn-engine.js';
import { tfjsDnn } from './dnn/index.js';
import { HostBuffer } from './host-buffer.js';
import { addVecToMat as hostAddVecToMat, sumOnMatrix as hostSumOnMatrix } from './host-matvec.js';
import { tfjsCostOps } from './tfjs-cost.js';
import * as blas from './tfjs-blas.js';
import { elementwise } from './tfjs-elementwise.js';
import type { LoadedTfjs, Tf } from './tfjs-loader.js';
import { castRegion, copyRegion, countNonFinite, fillRegion, readRegion, storeValues, writeRegion } from './tfjs-memory.js';
import { optimizerStep } from './tfjs-optimizers.js';

/** Storage in host memory, math through tfjs-core on its tensorflow backend (tfjs-node-gpu) or the cpu backend. */
export class TfjsEngine implements Engine {
  readonly name = 'tfjs' as const;
  readonly device: string;
  readonly dnn: DnnEngine;
  readonly costs: CostOps;
  private readonly tf: Tf;

  constructor(loaded: LoadedTfjs) {
    this.tf = loaded.tf;
    this.device = loaded.threads > 1 ? `tfjs:${loaded.backend} (${loaded.threads} threads)` : `tfjs:${loaded.backend}`;
    this.dnn = tfjsDnn(loaded.tf);
    this.costs = tfjsCostOps(loaded.tf);
  }

  alloc(nbytes: number): DeviceBuffer {
    try {
      return new HostBuffer(nbytes);
    } catch (err) {
      throw new BackendError('tfjs.alloc', `cannot allocate ${nbytes} bytes: ${(err as Error).message}`);
    }
  }

  free(): void {
    // Host buffers go to the garbage collector once the pool drops them.
  }

  write(dst: ArrayRef, src: TypedArray): void {
    writeRegion(dst, src);
  }

  read(src: ArrayRef): TypedArray {
    return readRegion(src);
  }

  readAsync(src: ArrayRef): Promise<TypedArray> {
    return Promise.resolve(readRegion(src));
  }

  copy(dst: ArrayRef, src: ArrayRef): void {
    copyRegion(dst, src);
  }

  fill(dst: ArrayRef, value: number): void {
    fillRegion(dst, value);
  }

  cast(dst: ArrayRef, src: ArrayRef): void {
    castRegion(dst, src);
  }

  synchronize(): void {}

  gemm(a: ArrayRef, b: ArrayRef, out: ArrayRef, opts: GemmOptions): void {
    blas.gemm(this.tf, a, b, out, opts);
  }

  sumOnMatrix(a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void {
    hostSumOnMatrix(a, out, cols, alpha, beta);
  }

  reduce(kind: ReduceKind, x: ArrayRef): number {
    return blas.reduce(kind, x);
  }

  dot(x: ArrayRef, y: ArrayRef): number {
    return blas.dot(x, y);
  }

  addVecToMat(vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void {
    hostAddVecToMat(vec, mat, out, axis, batch, n, m);
  }

  argmax(x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void {
    blas.argmax(this.tf, x, out, outer, len, inner);
  }

  elementwise(op: ElementwiseOp): void {
    elementwise(this.tf, op);
  }

  optimizerStep(rule: OptimizerRule): void {
    optimizerStep(rule);
  }

  fillRandom(out: ArrayRef, dist: 'uniform' | 'normal', a: number, b: number, seed: number): void {
    const rng = new Rng(seed);
    const n = sizeOf(out.shape);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = dist === 'uniform' ? a + (b - a) * rng.uniform() : a + b * rng.normal();
    storeValues(out, values);
  }

  countNonFinite(x: ArrayRef, count: ArrayRef): void {
    countNonFinite(x, count);
  }
}
