import type { TypedArray } from '../../dtype.js';
import type { DnnEngine } from '../../engine/dnn-engine.js';
import type { ArrayRef, DeviceBuffer, ElementwiseOp, Engine, GemmOptions, OptimizerRule, ReduceKind } from '../../engine/engine.js';
import { checkFloat32MatmulPrecision, getFloat32MatmulPrecision, type Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import { BackendError } from '../../errors.js';
import type { CudaAddon } from './cuda-addon.js';
import * as blas from './cuda-blas.js';
import { CudaBuffer, cudaBufferOf } from './cuda-buffer.js';
import { cudaCostOps, type CudaCostOps } from './cuda-cost.js';
import { cudaDnn } from './cuda-dnn.js';
import { countNonFinite, elementwise, fillRandom } from './cuda-elementwise.js';
import { nativeFailure } from './cuda-errors.js';
import * as memory from './cuda-memory.js';
import { optimizerStep } from './cuda-optimizers.js';

export interface CudaEngineOptions {
  /** CUDA device index (env PUZZLE_CUDA_DEVICE, default 0). */
  device?: number;
  /** Pins this engine's float32 matmul precision; without it the engine follows setFloat32MatmulPrecision. */
  matmulPrecision?: Float32MatmulPrecision;
}

export interface ResolvedCudaOptions {
  device: number;
  /** null: follow the process-wide setting, read at each op. */
  matmulPrecision: Float32MatmulPrecision | null;
}

/** Options from the environment, overridden by explicit ones. */
export function resolveCudaOptions(options: CudaEngineOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedCudaOptions {
  const device = options.device ?? Number(env['PUZZLE_CUDA_DEVICE'] ?? 0);
  if (!Number.isInteger(device) || device < 0) throw new BackendError('cuda', `invalid device index ${String(env['PUZZLE_CUDA_DEVICE'])}`);
  const pinned = options.matmulPrecision;
  return { device, matmulPrecision: pinned === undefined ? null : checkFloat32MatmulPrecision('cuda', pinned) };
}

/**
 * Device memory and kernels of our own addon, gemm through cuBLAS. Every call enqueues on one stream and returns
 * without synchronising, except those that hand data to the host (read, reduce, dot). Native failures surface as
 * BackendError naming the op, with CUDA's message.
 */
export class CudaEngine implements Engine {
  readonly name = 'cuda' as const;
  readonly device: string;
  /** Set by the matmulPrecision option, else null (the process-wide setting applies). */
  readonly pinnedMatmulPrecision: Float32MatmulPrecision | null;
  /** Convolution, pooling, normalisation and the other Dnn ops (cuda-dnn.ts). */
  readonly dnn: DnnEngine;
  /** The fused cost kernels and validation counts (cuda-cost.ts). */
  readonly costs: CudaCostOps;
  /** On the CUDA simulator only: it checks bounds, and a reused buffer is refilled with NaN like a fresh one. */
  readonly checkedMemory?: { poison(buffer: DeviceBuffer): void };

  constructor(
    private readonly addon: CudaAddon,
    options: CudaEngineOptions = {},
  ) {
    const { device, matmulPrecision } = resolveCudaOptions(options);
    this.pinnedMatmulPrecision = matmulPrecision;
    try {
      this.device = `cuda:${device} ${addon.init(device)}`;
    } catch (err) {
      throw nativeFailure('init', err);
    }
    this.dnn = cudaDnn(addon, { matmulPrecision: () => this.matmulPrecision });
    this.costs = cudaCostOps(addon);
    if (addon.simulator) this.checkedMemory = { poison: (buffer) => memory.poison(addon, cudaBufferOf('poison', buffer)) };
  }

  /** The precision of the next float32 gemm or convolution. */
  get matmulPrecision(): Float32MatmulPrecision {
    return this.pinnedMatmulPrecision ?? getFloat32MatmulPrecision();
  }

  alloc(nbytes: number): DeviceBuffer {
    try {
      return new CudaBuffer(this.addon.malloc(nbytes), nbytes);
    } catch (err) {
      throw nativeFailure('alloc', err);
    }
  }

  free(buffer: DeviceBuffer): void {
    const b = cudaBufferOf('free', buffer);
    if (!b.isLive) throw new BackendError('cuda.free', `buffer of ${b.nbytes} bytes freed twice`);
    try {
      this.addon.free(b.address);
    } catch (err) {
      throw nativeFailure('free', err);
    }
    b.markFreed();
  }

  write(dst: ArrayRef, src: TypedArray): void {
    try {
      memory.write(this.addon, dst, src);
    } catch (err) {
      throw nativeFailure('write', err);
    }
  }

  read(src: ArrayRef): TypedArray {
    try {
      return memory.read(this.addon, src);
    } catch (err) {
      throw nativeFailure('read', err);
    }
  }

  async readAsync(src: ArrayRef): Promise<TypedArray> {
    try {
      return await memory.readAsync(this.addon, src);
    } catch (err) {
      throw nativeFailure('readAsync', err);
    }
  }

  copy(dst: ArrayRef, src: ArrayRef): void {
    try {
      memory.copy(this.addon, dst, src);
    } catch (err) {
      throw nativeFailure('copy', err);
    }
  }

  fill(dst: ArrayRef, value: number): void {
    try {
      memory.fill(this.addon, dst, value);
    } catch (err) {
      throw nativeFailure('fill', err);
    }
  }

  cast(dst: ArrayRef, src: ArrayRef): void {
    try {
      memory.cast(this.addon, dst, src);
    } catch (err) {
      throw nativeFailure('cast', err);
    }
  }

  synchronize(): void {
    try {
      this.addon.synchronize();
    } catch (err) {
      throw nativeFailure('synchronize', err);
    }
  }

  /** Free and total device memory in bytes (cudaMemGetInfo). */
  memoryInfo(): { free: number; total: number } {
    try {
      return this.addon.memInfo();
    } catch (err) {
      throw nativeFailure('memoryInfo', err);
    }
  }

  gemm(a: ArrayRef, b: ArrayRef, out: ArrayRef, opts: GemmOptions): void {
    try {
      blas.gemm(this.addon, a, b, out, opts, this.matmulPrecision);
    } catch (err) {
      throw nativeFailure('gemm', err);
    }
  }

  sumOnMatrix(a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void {
    try {
      blas.sumOnMatrix(this.addon, a, out, cols, alpha, beta);
    } catch (err) {
      throw nativeFailure('sumOnMatrix', err);
    }
  }

  reduce(kind: ReduceKind, x: ArrayRef): number {
    try {
      return blas.reduce(this.addon, kind, x);
    } catch (err) {
      throw nativeFailure(`reduce(${kind})`, err);
    }
  }

  dot(x: ArrayRef, y: ArrayRef): number {
    try {
      return blas.dot(this.addon, x, y);
    } catch (err) {
      throw nativeFailure('dot', err);
    }
  }

  addVecToMat(vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void {
    try {
      blas.addVecToMat(this.addon, vec, mat, out, axis, batch, n, m);
    } catch (err) {
      throw nativeFailure('addVecToMat', err);
    }
  }

  argmax(x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void {
    try {
      blas.argmax(this.addon, x, out, outer, len, inner);
    } catch (err) {
      throw nativeFailure('argmax', err);
    }
  }

  elementwise(op: ElementwiseOp): void {
    try {
      elementwise(this.addon, op);
    } catch (err) {
      throw nativeFailure(op.kind === 'activation' || op.kind === 'activationGrad' ? `${op.kind}(${op.fn})` : op.kind, err);
    }
  }

  optimizerStep(rule: OptimizerRule): void {
    try {
      optimizerStep(this.addon, rule);
    } catch (err) {
      throw nativeFailure(`optimizer(${rule.kind})`, err);
    }
  }

  fillRandom(out: ArrayRef, dist: 'uniform' | 'normal', a: number, b: number, seed: number): void {
    try {
      fillRandom(this.addon, out, dist, a, b, seed);
    } catch (err) {
      throw nativeFailure('fillRandom', err);
    }
  }

  countNonFinite(x: ArrayRef, count: ArrayRef): void {
    try {
      countNonFinite(this.addon, x, count);
    } catch (err) {
      throw nativeFailure('countNonFinite', err);
    }
  }
}
