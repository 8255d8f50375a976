import { GPUArray, gpuarray, HostArray } from '@puzzle/backend';
import { walkModules, type Data, type Module } from '@puzzle/modules';

function flatten(data: Data): GPUArray[] {
  return data instanceof GPUArray ? [data] : data.flatMap(flatten);
}

/** Puzzle's eval-mode outputs (flattened) for host inputs, given as a list when `list` is set; frees what it made. */
export function puzzleOutputs(net: Module, feeds: readonly HostArray[], list: boolean): HostArray[] {
  net.evalMode();
  const xs = feeds.map((h) => gpuarray.toGpu(h));
  try {
    return flatten(net.call(list ? xs : xs[0]!)).map((a) => a.get());
  } finally {
    for (const x of xs) x.dispose();
    net.reset();
  }
}

/** Ranges for parameters that start at constants (biases 0, norm scales 1, statistics 0 and 1, slopes 0.25). */
const RANGES: Record<string, [number, number]> = {
  b: [-0.5, 0.5],
  bias: [-0.5, 0.5],
  scale: [0.5, 1.5],
  slopes: [0.05, 0.5],
  mean: [-0.5, 0.5],
  var: [0.5, 1.5],
};

/**
 * Gives every bias, norm parameter, running statistic and slope random values, so a wrong layout or a dropped term
 * changes the output (weights keep their random initialisation).
 */
export function randomizeParams(net: Module, seed: number): void {
  let k = seed;
  for (const { mod } of walkModules(net, '')) {
    const arrays = [...Object.entries(mod.vars).map(([n, v]) => [n, v.data] as const), ...Object.entries(mod.attrs)];
    for (const [name, array] of arrays) {
      const range = RANGES[name];
      if (range && array.dtype === 'float32') array.set(HostArray.rand(array.shape as number[], { seed: k++, low: range[0], high: range[1] }));
    }
  }
}
