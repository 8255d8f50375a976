import type { ArrayRef, ElementwiseOp } from '../../engine/engine.js';
import { CODES, type ArithmeticKind, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';

const arithmetic = (addon: CudaAddon, kind: ArithmeticKind, out: ArrayRef, x: ArrayRef, y: ArrayRef | null, a: number, b: number, mapsize = 1): void =>
  addon.arithmetic(CODES.arithmetic[kind], CODES.dtype[out.dtype], addressOf(out), addressOf(x), y ? addressOf(y) : 0, countOf(out), a, b, mapsize);

/** One kernel launch per op over `out`'s element count; math in fp32 whatever the storage. */
export function elementwise(addon: CudaAddon, op: ElementwiseOp): void {
  switch (op.kind) {
    case 'activation':
      return addon.activation(CODES.activation[op.fn], CODES.dtype[op.out.dtype], addressOf(op.out), addressOf(op.x), countOf(op.out), op.a, op.b);
    case 'activationGrad':
      return addon.activationGrad(
        CODES.activation[op.fn],
        CODES.dtype[op.out.dtype],
        addressOf(op.out),
        addressOf(op.grad),
        addressOf(op.y),
        countOf(op.out),
        op.a,
        op.b,
      );
    case 'linear':
      return arithmetic(addon, 'linear', op.out, op.x, null, op.a, op.b);
    case 'add':
      return arithmetic(addon, 'add', op.out, op.x, op.y, op.alpha, op.beta);
    case 'mul':
      return arithmetic(addon, 'mul', op.out, op.x, op.y, 0, 0);
    case 'abs':
      return arithmetic(addon, 'abs', op.out, op.x, null, 0, 0);
    case 'dropout':
      return arithmetic(addon, 'dropout', op.out, op.x, op.uniform, op.p, 0, op.mapsize);
    case 'weightDecay':
      // In place on the grad: grad = grad − rate·param.
      return arithmetic(addon, 'weightDecay', op.grad, op.grad, op.param, op.rate, 0);
    case 'l1Penalty':
      return arithmetic(addon, 'l1Penalty', op.out, op.grad, op.data, op.a, 0);
  }
}

/** Seeded counter-based generator on the device: the same seed gives the same fill. */
export function fillRandom(addon: CudaAddon, out: ArrayRef, dist: 'uniform' | 'normal', a: number, b: number, seed: number): void {
  addon.fillRandom(CODES.random[dist], addressOf(out), countOf(out), a, b, seed >>> 0);
}

/** count (int32 scalar) += the NaN and ±Inf values of x, in one launch that waits for nothing. */
export function countNonFinite(addon: CudaAddon, x: ArrayRef, count: ArrayRef): void {
  addon.countNonFinite(CODES.dtype[x.dtype], addressOf(x), countOf(x), addressOf(count));
}
