/** Raised by optimizers for misuse (update before setupOn, no parameters, mismatched grads, bad hyper-parameters). */
export class OptimizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptimizerError';
  }
}
