// Child process of the kill-during-save test: saves a training checkpoint in a loop until it is killed. Iteration i
// sets every weight, every optimizer state value, t and meta.iteration to i, so a checkpoint whose parts come
// from different iterations shows.
import { setBackend } from '@puzzle/backend';
import { Linear } from '@puzzle/modules';
import { Adam } from '../adam.js';
import { saveCheckpoint } from '../io/training-checkpoint.js';

const [path, size] = process.argv.slice(2);
setBackend('tfjs');
const module = new Linear(Number(size), Number(size));
const optimizer = new Adam();
optimizer.setupOn(module, { useGlobalState: true });
for (let i = 1; ; i++) {
  for (const v of module.getVarTable().keys()) v.data.fill(i);
  for (const state of Object.values(optimizer.stateDict())) state.fill(i);
  optimizer.t = i;
  await saveCheckpoint(path!, { module, optimizer }, { compress: false, meta: { iteration: i } });
  process.stdout.write(`saved ${i}\n`);
}
