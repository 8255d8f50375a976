import { GPUArray, gpuarray, HostArray, Rng } from '@puzzle/backend';
import { expectClose } from './compare.js';
import { numericGrad, sampleIndices, weightedSum } from './finite-diff.js';
import { TOLERANCES, type Tolerance } from './tolerances.js';

type Nested = GPUArray | Nested[];

/** The part of a module the checker drives (structural, so this package does not depend on @puzzle/modules). */
export interface CheckableModule {
  call(data: never): unknown;
  backward(grad: never, opts?: { scale?: number; momentum?: number; updParamGrads?: boolean; updGrad?: boolean }): void;
  grad: unknown;
  getVarTable(): Map<{ data: GPUArray; grad: GPUArray | null }, string[]>;
}

export interface GradCheckOptions {
  seed?: number;
  /** Finite-difference step. */
  eps?: number;
  tol?: Tolerance;
  /** Coordinates checked per tensor. */
  samples?: number;
  /** Pass the inputs to call() as a list even when there is one. */
  asList?: boolean;
  /** Skip the input gradient (modules without one, e.g. Embedder). */
  skipInputGrad?: boolean;
}

const flatten = (d: unknown): GPUArray[] => (d instanceof GPUArray ? [d] : (d as Nested[]).flatMap(flatten));

/**
 * Checks a module's input and parameter gradients against central finite differences of the scalar
 * L = Σ w·output for a fixed random w, and checks the scale/momentum accumulation rule of parameter grads.
 */
export function checkModuleGradients(module: CheckableModule, inputs: HostArray[], opts: GradCheckOptions = {}): void {
  const { seed = 11, eps = 1e-2, tol = TOLERANCES.fd, samples = 24 } = opts;
  const hostInputs = inputs.map((h) => h.toFloat32());
  const asInput = (arrays: GPUArray[]) => (arrays.length === 1 && !opts.asList ? arrays[0]! : arrays);
  const vars = [...module.getVarTable().entries()].map(([v, names]) => ({ v, name: names[0]! }));

  // The current host values of the inputs, uploaded afresh (finite differences edit hostInputs in place).
  const upload = (): GPUArray[] => hostInputs.map((f, i) => gpuarray.toGpu(HostArray.from(f, { shape: inputs[i]!.shape, dtype: inputs[i]!.dtype })));

  const forward = (): number => {
    const xs = upload();
    const outs = flatten(module.call(asInput(xs) as never));
    const loss = outs.reduce((s, o, i) => s + weightedSum(o.get().toFloat32(), weights[i]!), 0);
    xs.forEach((x) => x.dispose());
    return loss;
  };

  // Weights shaped like the outputs, drawn once.
  const probe = upload();
  const outs = flatten(module.call(asInput(probe) as never));
  const rng = new Rng(seed);
  const weights = outs.map((o) => Float64Array.from({ length: o.size }, () => rng.normal()));
  const wArrays = outs.map((o, i) => gpuarray.toGpu(HostArray.from(weights[i]!, { shape: o.shape, dtype: o.dtype })));
  const grad = isListOutput(module) ? wArrays : wArrays[0]!;

  module.backward(grad as never, { scale: 1, momentum: 0 });
  const inputGrads = opts.skipInputGrad ? [] : flatten(module.grad).map((g) => g.get().toFloat32());
  const paramGrads = vars.map(({ v }) => v.grad!.get().toFloat32());

  // Accumulation: grad = scale·fresh + momentum·old.
  const olds = vars.map(({ v }) => {
    const old = HostArray.randn(v.data.shape as number[], { seed: seed + 1 });
    v.grad!.set(old);
    return old.toFloat32();
  });
  module.backward(grad as never, { scale: 0.5, momentum: 2 });
  vars.forEach(({ v, name }, k) => {
    const expected = Float64Array.from(paramGrads[k]!, (g, i) => 0.5 * g + 2 * olds[k]![i]!);
    expectClose(v.grad!.get().toFloat32(), expected, TOLERANCES.float32Accumulated, `${name}.grad with scale 0.5, momentum 2`);
  });
  probe.forEach((x) => x.dispose());

  inputGrads.forEach((analytic, k) => {
    const idx = sampleIndices(hostInputs[k]!.length, samples, seed + k);
    const numeric = numericGrad(forward, hostInputs[k]!, eps, idx);
    expectClose(idx.map((i) => analytic[i]!), idx.map((i) => numeric[i]!), tol, `input ${k} gradient vs finite differences`);
  });

  vars.forEach(({ v, name }, k) => {
    const values = v.data.get().toFloat32();
    const idx = sampleIndices(values.length, samples, seed + 100 + k);
    const numeric = numericGrad(
      () => {
        v.data.set(HostArray.from(values, { shape: v.data.shape, dtype: v.data.dtype }));
        return forward();
      },
      values,
      eps,
      idx,
    );
    v.data.set(HostArray.from(values, { shape: v.data.shape, dtype: v.data.dtype }));
    expectClose(idx.map((i) => paramGrads[k]![i]!), idx.map((i) => numeric[i]!), tol, `${name} gradient vs finite differences`);
  });
  wArrays.forEach((w) => w.dispose());
}

function isListOutput(module: CheckableModule): boolean {
  return Array.isArray((module as unknown as { data: unknown }).data);
}
