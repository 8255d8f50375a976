/** Raised by the plotting helpers for bad input (empty history, mismatched images and labels, unknown file types). */
export class VisualError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisualError';
  }
}
