import type { ArrayRef, OptimizerRule } from '../../engine/engine.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';

const at = (ref: ArrayRef | null): number => (ref ? addressOf(ref) : 0);

function launch(addon: CudaAddon, rule: OptimizerRule, s0: ArrayRef | null, s1: ArrayRef | null, s2: ArrayRef | null, h0: number, h1 = 0, h2 = 0, h3 = 0): void {
  const { param, grad } = rule;
  addon.optimizer(CODES.optimizer[rule.kind], CODES.dtype[param.dtype], countOf(param), addressOf(param), addressOf(grad), at(s0), at(s1), at(s2), h0, h1, h2, h3);
}

/**
 * One fused kernel launch per rule over the whole arrays. States and numbers go in the order of the rule's fields,
 * which is the order native/kernels/optimizers.cu reads them in.
 */
export function optimizerStep(addon: CudaAddon, rule: OptimizerRule): void {
  switch (rule.kind) {
    case 'sgd':
      return launch(addon, rule, null, null, null, rule.lr);
    case 'momentumSGD':
    case 'nesterovSGD':
      return launch(addon, rule, rule.mom, null, null, rule.lr, rule.momRate);
    case 'rmsprop':
      return launch(addon, rule, rule.ms, null, null, rule.lr, rule.factor, rule.epsilon);
    case 'rmspropGraves':
      return launch(addon, rule, rule.mg, rule.ms, rule.delta, rule.lr, rule.alpha, rule.momRate, rule.epsilon);
    case 'adagrad':
      return launch(addon, rule, rule.h, null, null, rule.lr, rule.epsilon);
    case 'adadelta':
      return launch(addon, rule, rule.msg, rule.msdx, null, rule.rho, rule.epsilon);
    case 'adam':
      return launch(addon, rule, rule.mg, rule.ms, null, rule.lr, rule.fix1, rule.fix2, rule.epsilon);
    case 'smorms3':
      return launch(addon, rule, rule.mem, rule.mg, rule.ms, rule.lr, rule.epsilon);
  }
}
