// Child process of packages/modules/src/io/lazy-h5wasm.test.ts: imports every framework package, as a training
// script starts (kept outside the packages, which may not all import each other).
import '@puzzle/backend';
import '@puzzle/modules';
import '@puzzle/containers';
import '@puzzle/cost';
import '@puzzle/optimizers';
import '@puzzle/handlers';

console.log('imported');
