/** Raised by modules for bad input (shape, rank, dtype, width) and bad configuration. */
export class ModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleError';
  }
}
