import { Blas, gpuarray, HostArray, Rng, type GPUArray } from '@puzzle/backend';
import { CrossEntropy, MSE } from '@puzzle/cost';
import { Linear, type Module } from '@puzzle/modules';
import { Adam } from '@puzzle/optimizers';
import type { BenchPlan, CaseSpec, ProbeSpec } from './bench-plan.js';
import { buildLeNet, buildMlp, LENET_CLASSES, LENET_INPUT } from './puzzle-nets.js';

/** One benchmark workload on Puzzle: `step` is what gets timed; `errors` collects what the loop read. */
export interface BenchCase {
  step(index: number): void;
  readonly errors: number[];
  dispose(): void;
}

type Hyper = BenchPlan['adam'];

function globalAdam(net: Module, hyper: Hyper): Adam {
  const optimizer = new Adam(hyper);
  optimizer.setupOn(net, { useGlobalState: true });
  return optimizer;
}

function randomLabels(count: number, classes: number, seed: number): GPUArray {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: count }, () => Math.min(classes - 1, Math.floor(rng.uniform() * classes)));
  return gpuarray.toGpu(HostArray.from(labels, { shape: [count], dtype: 'int32' }));
}

/**
 * The doc loop's step: forward, cost, zeroGradParams, backward, update; the error is queried every `errorEvery`
 * steps. The data needs no gradient (updGrad: false), as PuzzleLib's Trainer asks and PyTorch does for inputs.
 */
function trainingCase(net: Module, data: GPUArray, target: GPUArray, loss: MSE | CrossEntropy, spec: CaseSpec, hyper: Hyper): BenchCase {
  const optimizer = globalAdam(net, hyper);
  const errors: number[] = [];
  return {
    errors,
    step(index) {
      const predictions = net.call(data) as GPUArray;
      let grad: GPUArray;
      if (spec.errorEvery > 0 && (index + 1) % spec.errorEvery === 0) {
        const [error, g] = loss.call(predictions, target);
        errors.push(error);
        grad = g;
      } else {
        grad = loss.call(predictions, target, { queryError: false });
      }
      optimizer.zeroGradParams();
      net.backward(grad, { updGrad: false });
      optimizer.update();
    },
    dispose() {
      loss.dispose();
      net.dispose();
      optimizer.dispose();
      data.dispose();
      target.dispose();
    },
  };
}

/** The Adam update alone over one flat vector of `params` parameters with a fixed random gradient. */
function adamOnlyCase(params: number, hyper: Hyper): BenchCase {
  // One (1, params) weight: a single Variable of exactly `params` elements, so the global state has no gaps.
  const holder = new Linear(1, params, { useBias: false, empty: true });
  gpuarray.fillNormal(holder.W);
  const optimizer = globalAdam(holder, hyper);
  gpuarray.fillNormal(holder.getVar('W').grad!);
  return {
    errors: [],
    step() {
      optimizer.update();
    },
    dispose() {
      holder.dispose();
      optimizer.dispose();
    },
  };
}

export function puzzleCase(spec: CaseSpec, plan: BenchPlan): BenchCase {
  const { model } = spec;
  switch (model.kind) {
    case 'mlp': {
      const data = gpuarray.toGpu(HostArray.randn([model.batch, model.sizes[0]!], { seed: plan.seed }));
      const target = gpuarray.toGpu(HostArray.randn([model.batch, model.sizes.at(-1)!], { seed: plan.seed + 1 }));
      return trainingCase(buildMlp(model), data, target, new MSE(), spec, plan.adam);
    }
    case 'lenet': {
      const data = gpuarray.toGpu(HostArray.randn([model.batch, ...LENET_INPUT], { seed: plan.seed }));
      const labels = randomLabels(model.batch, LENET_CLASSES, plan.seed + 1);
      // PuzzleLib's default (Config.verifyData = False), and what PyTorch does: no host-side label check, which would
      // wait for the device on every step. The labels are in range by construction.
      const loss = new CrossEntropy();
      loss.verifyData = false;
      return trainingCase(buildLeNet(), data, labels, loss, spec, plan.adam);
    }
    case 'adam':
      return adamOnlyCase(model.params, plan.adam);
  }
}

/** A device-to-device copy of `elements` floats, for the copy-bandwidth ceiling. */
export function copyProbe(probe: ProbeSpec): BenchCase {
  const src = gpuarray.fillNormal(gpuarray.empty([probe.copyElements]));
  const dst = gpuarray.empty([probe.copyElements]);
  return {
    errors: [],
    step: () => void gpuarray.copy(dst, src),
    dispose() {
      src.dispose();
      dst.dispose();
    },
  };
}

/** An n x n x n fp32 product through the engine's gemm, for the matrix-product ceiling. */
export function gemmProbe(probe: ProbeSpec): BenchCase {
  const n = probe.gemmSize;
  const [a, b] = [gpuarray.fillNormal(gpuarray.empty([n, n])), gpuarray.fillNormal(gpuarray.empty([n, n]))];
  const out = gpuarray.empty([n, n]);
  return {
    errors: [],
    step: () => void Blas.mulMatrixOnMatrix(a, b, { out }),
    dispose() {
      for (const array of [a, b, out]) array.dispose();
    },
  };
}
