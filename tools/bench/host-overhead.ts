// The host side of a cuda training step, measured on any machine: the cuda engine runs over a null addon
// (null-addon.cjs) whose entries return at once, so the time per step is what JavaScript adds to the GPU's work
// (checks, views, argument packing, the Node-API calls themselves). On a GPU each engine call also costs its launch.
//   npm run bench:host
import { fileURLToPath } from 'node:url';
import { CODES, INTERFACE_VERSION } from '../../packages/backend/src/engines/cuda/cuda-addon.js';
import { countOps, getBackend, setBackend, synchronize } from '@puzzle/backend';
import { gpuPlan } from './plans.js';
import { puzzleCase } from './puzzle-cases.js';
import { median } from './stats.js';
import { timeSteps } from './step-timer.js';

(globalThis as { puzzleNullAddonSpec?: unknown }).puzzleNullAddonSpec = { CODES, INTERFACE_VERSION };
process.env['PUZZLE_CUDA_ADDON'] = fileURLToPath(new URL('./null-addon.cjs', import.meta.url));
setBackend('cuda');

const plan = gpuPlan();
const lines = [`host overhead per training step on ${getBackend().device}, Node ${process.version}`];
for (const spec of plan.cases.filter((c) => c.id !== 'd')) {
  const workload = puzzleCase(spec, plan);
  try {
    workload.step(0);
    const { counts } = countOps(() => workload.step(1));
    const samples = timeSteps((i) => workload.step(i + 2), { warmupSteps: 2000, repeats: 15, stepsPerRepeat: 500 }, synchronize);
    const ms = median(samples);
    lines.push(`(${spec.id}) ${spec.title}: ${(ms * 1000).toFixed(1)} us/step, ${counts.total} engine calls, ${((ms * 1000) / counts.total).toFixed(2)} us/call`);
  } finally {
    workload.dispose();
  }
}
console.log(lines.join('\n'));
