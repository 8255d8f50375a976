export interface CheckpointErrorDetails {
  /** The path the user gave (never an internal temp file); null for bytes. */
  path: string | null;
  /** The errno name of an operating-system failure (ENOSPC, EISDIR, ...), else null. */
  code: string | null;
  /** HDF5's own error stack, when HDF5 reported the failure: dozens of lines, kept here rather than in the message. */
  diagnostic: string | null;
  cause?: unknown;
}

/**
 * A checkpoint could not be written or read: the file system refused (the errno name and the user's path), the file
 * is not HDF5, or its contents are corrupt (a dataset whose checksum does not match). The message is the cause in
 * one line; `diagnostic` keeps HDF5's error stack for whoever wants it.
 */
export class CheckpointError extends Error {
  readonly path: string | null;
  readonly code: string | null;
  readonly diagnostic: string | null;

  constructor(message: string, details: CheckpointErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CheckpointError';
    this.path = details.path;
    this.code = details.code;
    this.diagnostic = details.diagnostic;
  }
}
