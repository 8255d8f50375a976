/** Raised by dataset loaders for missing files, bad magic numbers, truncated data and bad split sizes. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
