import type { ArrayRef, OptimizerRule } from '../../engine/engine.js';
import { asFloat32, storeValues } from './tfjs-memory.js';

type Rule<K extends OptimizerRule['kind']> = Extract<OptimizerRule, { kind: K }>;
type F32 = Float32Array;

// Each rule is one pass over the whole buffers on the host, element by element, like PyTorch's fused CPU optimizers:
// as tfjs tensor ops a rule would be 8 to 13 passes of its own plus copies into and out of the backend, several
// times slower for this memory-bound work. A state value is stored, then read back as stored (float32), before the
// parameter step uses it, as a float32 kernel computes it.

function sgd(r: Rule<'sgd'>, p: F32, g: F32): void {
  for (let i = 0; i < p.length; i++) p[i]! += g[i]! * r.lr;
}

function momentumSGD(r: Rule<'momentumSGD'>, p: F32, g: F32, [mom]: F32[]): void {
  for (let i = 0; i < p.length; i++) {
    mom![i] = mom![i]! * r.momRate + g[i]! * r.lr;
    p[i]! += mom![i]!;
  }
}

function nesterovSGD(r: Rule<'nesterovSGD'>, p: F32, g: F32, [mom]: F32[]): void {
  const mu = r.momRate;
  for (let i = 0; i < p.length; i++) {
    const old = mom![i]!;
    mom![i] = old * mu + g[i]! * r.lr;
    p[i]! += old * mu * mu + g[i]! * (1 + mu) * r.lr;
  }
}

function rmsprop(r: Rule<'rmsprop'>, p: F32, g: F32, [ms]: F32[]): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    ms![i] = ms![i]! * r.factor + gi * gi * (1 - r.factor);
    p[i]! += (gi * r.lr) / (Math.sqrt(ms![i]!) + r.epsilon);
  }
}

function rmspropGraves(r: Rule<'rmspropGraves'>, p: F32, g: F32, [mg, ms, delta]: F32[]): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    mg![i] = mg![i]! * r.alpha + gi * (1 - r.alpha);
    ms![i] = ms![i]! * r.alpha + gi * gi * (1 - r.alpha);
    const denom = Math.sqrt(ms![i]! - mg![i]! * mg![i]! + r.epsilon);
    delta![i] = delta![i]! * r.momRate + (gi * r.lr) / denom;
    p[i]! += delta![i]!;
  }
}

function adagrad(r: Rule<'adagrad'>, p: F32, g: F32, [h]: F32[]): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    h![i]! += gi * gi;
    p[i]! += (gi * r.lr) / (Math.sqrt(h![i]!) + r.epsilon);
  }
}

function adadelta(r: Rule<'adadelta'>, p: F32, g: F32, [msg, msdx]: F32[]): void {
  const keep = 1 - r.rho;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    msg![i]! += (gi * gi - msg![i]!) * keep;
    const dx = Math.fround(Math.sqrt((msdx![i]! + r.epsilon) / (msg![i]! + r.epsilon)) * gi);
    msdx![i]! += (dx * dx - msdx![i]!) * keep;
    p[i]! += dx;
  }
}

function adam(r: Rule<'adam'>, p: F32, g: F32, [mg, ms]: F32[]): void {
  // Locals, not property reads, in the loop that runs over every parameter of the net each step.
  const { lr, fix1, fix2, epsilon } = r;
  const [m, v] = [mg!, ms!];
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    m[i]! += (gi - m[i]!) * fix1;
    v[i]! += (gi * gi - v[i]!) * fix2;
    p[i]! += (m[i]! * lr) / (Math.sqrt(v[i]!) + epsilon);
  }
}

function smorms3(r: Rule<'smorms3'>, p: F32, g: F32, [mem, mg, ms]: F32[]): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const rate = 1 / (mem![i]! + 1);
    mg![i] = (1 - rate) * mg![i]! + rate * gi;
    ms![i] = (1 - rate) * ms![i]! + rate * gi * gi;
    const x = (mg![i]! * mg![i]!) / (ms![i]! + r.epsilon);
    mem![i] = mem![i]! * (1 - x) + 1;
    p[i]! += (gi * Math.min(x, r.lr)) / (Math.sqrt(ms![i]!) + r.epsilon);
  }
}

/** The state arrays each rule updates, in the order its function takes them. */
function stateOf(rule: OptimizerRule): ArrayRef[] {
  switch (rule.kind) {
    case 'sgd':
      return [];
    case 'momentumSGD':
    case 'nesterovSGD':
      return [rule.mom];
    case 'rmsprop':
      return [rule.ms];
    case 'rmspropGraves':
      return [rule.mg, rule.ms, rule.delta];
    case 'adagrad':
      return [rule.h];
    case 'adadelta':
      return [rule.msg, rule.msdx];
    case 'adam':
      return [rule.mg, rule.ms];
    case 'smorms3':
      return [rule.mem, rule.mg, rule.ms];
  }
}

const STEPS: { [K in OptimizerRule['kind']]: (r: Rule<K>, p: F32, g: F32, state: F32[]) => void } = {
  sgd,
  momentumSGD,
  nesterovSGD,
  rmsprop,
  rmspropGraves,
  adagrad,
  adadelta,
  adam,
  smorms3,
};

/** One optimizer update over whole buffers: every state and the param are rewritten in one pass, O(size). */
export function optimizerStep(rule: OptimizerRule): void {
  const written = [rule.param, ...stateOf(rule)];
  // Float32 regions are updated in place; float16 ones through a decoded copy, rounded back afterwards.
  const [p, ...state] = written.map(asFloat32);
  (STEPS[rule.kind] as (r: OptimizerRule, p: F32, g: F32, state: F32[]) => void)(rule, p!, asFloat32(rule.grad), state);
  written.forEach((ref, i) => {
    if (ref.dtype !== 'float32') storeValues(ref, i === 0 ? p! : state[i - 1]!);
  });
}
