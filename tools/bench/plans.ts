import { PUZZLELIB_ADAM, trainSimpleModel, type BenchPlan, type CaseId, type CaseSpec } from './bench-plan.js';

/**
 * The sizes issue 7 asks for, and their small stand-ins. Step counts aim at a few seconds per case and runner on an
 * H100 (from the PyTorch times: ~1 ms for (a) and (b), ~2.6 ms for (c) and (d)), so the whole run, PyTorch
 * included, fits well inside one device call.
 */
const SEED = 1234;

function gpuCases(): CaseSpec[] {
  const largeMlp: CaseSpec = {
    id: 'b',
    title: 'large MLP',
    model: { kind: 'mlp', batch: 4096, sizes: [1024, 1024, 512, 16], bias: [true, true, true] },
    timing: { warmupSteps: 20, repeats: 20, stepsPerRepeat: 20 },
    errorEvery: 5,
  };
  return [
    {
      id: 'a',
      title: 'trainSimpleTest net',
      model: trainSimpleModel(),
      timing: { warmupSteps: 100, repeats: 30, stepsPerRepeat: 100 },
      errorEvery: 5,
    },
    largeMlp,
    // Issue 7's opt-in, PyTorch's allow_tf32: the same step with tensor cores doing the products. At ~1 ms a step or
    // less, each adds about a second per runner to the call.
    { ...largeMlp, id: 'b-tf32', title: 'large MLP, TF32', matmulPrecision: 'high' },
    { ...largeMlp, id: 'b-bf16', title: 'large MLP, bf16', matmulPrecision: 'medium' },
    {
      id: 'c',
      title: 'LeNet on MNIST-shaped data',
      model: { kind: 'lenet', batch: 128 },
      timing: { warmupSteps: 20, repeats: 20, stepsPerRepeat: 50 },
      errorEvery: 5,
    },
    {
      id: 'd',
      title: 'Adam update alone',
      model: { kind: 'adam', params: 100_000_000 },
      timing: { warmupSteps: 5, repeats: 20, stepsPerRepeat: 10 },
      errorEvery: 0,
    },
  ];
}

/**
 * Cases (a)-(d), (b) also with TF32 and bf16 products, against PyTorch on the GPU, with the copy and fp32 gemm
 * ceilings measured in the same call.
 */
export function gpuPlan(): BenchPlan {
  return {
    cases: gpuCases(),
    // 2^28 floats: 1 GiB each way, far past the 50 MB L2, as the 3.0 TB/s reference copy was measured.
    probes: { copyElements: 2 ** 28, gemmSize: 8192, timing: { warmupSteps: 3, repeats: 10, stepsPerRepeat: 5 } },
    adam: PUZZLELIB_ADAM,
    seed: SEED,
  };
}

/** The GPU plan's code paths at toy sizes and counts: a dry run that checks the plumbing, not the speed. */
export function quickPlan(): BenchPlan {
  const timing = { warmupSteps: 5, repeats: 3, stepsPerRepeat: 5 };
  const tinyMlp: CaseSpec['model'] = { kind: 'mlp', batch: 64, sizes: [64, 64, 32, 16], bias: [true, true, true] };
  const tiny: Partial<Record<CaseId, CaseSpec['model']>> = {
    b: tinyMlp,
    'b-tf32': tinyMlp,
    'b-bf16': tinyMlp,
    c: { kind: 'lenet', batch: 8 },
    d: { kind: 'adam', params: 100_000 },
  };
  return {
    cases: gpuCases().map((spec) => ({ ...spec, model: tiny[spec.id] ?? spec.model, timing })),
    probes: { copyElements: 1 << 16, gemmSize: 64, timing: { warmupSteps: 1, repeats: 3, stepsPerRepeat: 2 } },
    adam: PUZZLELIB_ADAM,
    seed: SEED,
  };
}

/**
 * The CPU comparison (tfjs engine against tfjs-layers on the same tfjs backend, and PyTorch on one thread): cases (a)
 * and (c) as they are, and (b) scaled down by 16 in batch and 4 in width (~0.15 GFLOP a step instead of ~30), which
 * a CPU core trains in milliseconds.
 */
export function cpuPlan(): BenchPlan {
  const [simple, large, , , lenet] = gpuCases();
  return {
    cases: [
      { ...simple!, timing: { warmupSteps: 50, repeats: 20, stepsPerRepeat: 50 } },
      {
        ...large!,
        title: 'large MLP scaled down',
        model: { kind: 'mlp', batch: 256, sizes: [256, 256, 128, 16], bias: [true, true, true] },
        timing: { warmupSteps: 10, repeats: 10, stepsPerRepeat: 10 },
      },
      { ...lenet!, timing: { warmupSteps: 5, repeats: 6, stepsPerRepeat: 5 } },
    ],
    probes: null,
    adam: PUZZLELIB_ADAM,
    seed: SEED,
  };
}
