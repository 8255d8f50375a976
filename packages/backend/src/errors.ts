/** Raised by the backend for bad shapes, dtypes, use after dispose and engine failures. */
export class BackendError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'BackendError';
  }
}

export function fmtShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}
