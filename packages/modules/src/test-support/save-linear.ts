// Child process of the checkpoint tests: saves a Linear(size, size) to a path and prints what happened as JSON.
import { setBackend } from '@puzzle/backend';
import { CheckpointError } from '../io/checkpoint-error.js';
import { Linear } from '../linear.js';

const [path, size] = process.argv.slice(2);
setBackend('tfjs');
const lin = new Linear(Number(size), Number(size));
try {
  await lin.save(path!, { compress: false });
  console.log(JSON.stringify({ saved: true }));
} catch (e) {
  const fields = e instanceof CheckpointError ? { code: e.code, path: e.path, diagnostic: e.diagnostic } : {};
  console.log(JSON.stringify({ name: (e as Error).name, message: (e as Error).message, ...fields }));
}
lin.dispose();
