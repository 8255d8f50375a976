/** Raised by costs for bad input: shapes, batch sizes, dtypes and labels out of range. */
export class CostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostError';
  }
}
