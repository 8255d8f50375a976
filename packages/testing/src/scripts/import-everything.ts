// Child process of the lazy-loading test: imports every framework package, as a training script starts.
import '@puzzle/backend';
import '@puzzle/modules';
import '@puzzle/containers';
import '@puzzle/cost';
import '@puzzle/optimizers';
import '@puzzle/handlers';

console.log('imported');
