import type { ArrayRef, OptimizerRule } from '../../engine/engine.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';

const at = (ref: ArrayRef | undefined): number => (ref ? addressOf(ref) : 0);

/**
 * One fused kernel launch per rule over the whole arrays. States and numbers go in the order of the rule's fields,
 * which is the order native/kernels/optimizers.cu reads them in.
 */
export function optimizerStep(addon: CudaAddon, rule: OptimizerRule): void {
  const run = (states: (ArrayRef | undefined)[], h0 = 0, h1 = 0, h2 = 0, h3 = 0): void =>
    addon.optimizer(
      CODES.optimizer[rule.kind],
      CODES.dtype[rule.param.dtype],
      countOf(rule.param),
      addressOf(rule.param),
      addressOf(rule.grad),
      at(states[0]),
      at(states[1]),
      at(states[2]),
      h0,
      h1,
      h2,
      h3,
    );
  switch (rule.kind) {
    case 'sgd':
      return run([], rule.lr);
    case 'momentumSGD':
    case 'nesterovSGD':
      return run([rule.mom], rule.lr, rule.momRate);
    case 'rmsprop':
      return run([rule.ms], rule.lr, rule.factor, rule.epsilon);
    case 'rmspropGraves':
      return run([rule.mg, rule.ms, rule.delta], rule.lr, rule.alpha, rule.momRate, rule.epsilon);
    case 'adagrad':
      return run([rule.h], rule.lr, rule.epsilon);
    case 'adadelta':
      return run([rule.msg, rule.msdx], rule.rho, rule.epsilon);
    case 'adam':
      return run([rule.mg, rule.ms], rule.lr, rule.fix1, rule.fix2, rule.epsilon);
    case 'smorms3':
      return run([rule.mem, rule.mg, rule.ms], rule.lr, rule.epsilon);
  }
}
