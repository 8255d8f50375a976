/** Raised by handlers for bad input: mismatched sample counts, empty data, a bad batch size. */
export class HandlerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerError';
  }
}
