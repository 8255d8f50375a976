import { CheckpointError } from './checkpoint-error.js';

/** A failure our own checks found: something in the way of a save, a corrupt dataset, a file that is not HDF5. */
export class IoProblem extends Error {
  readonly code: string | null;
  readonly diagnostic: string | null;

  constructor(code: string | null, text: string, diagnostic: string | null = null) {
    super(text);
    this.name = 'IoProblem';
    this.code = code;
    this.diagnostic = diagnostic;
  }
}

/** Why a checkpoint could not be written or read, in one line: the errno name where there is one. */
export interface IoCause {
  code: string | null;
  text: string;
  diagnostic: string | null;
}

/** strerror texts (musl's, which HDF5 prints under h5wasm, whose errno numbers are not Linux's) → errno names. */
const ERRNO_BY_TEXT: Record<string, string> = {
  'no such file or directory': 'ENOENT',
  'permission denied': 'EACCES',
  'operation not permitted': 'EPERM',
  'no space left on device': 'ENOSPC',
  'quota exceeded': 'EDQUOT',
  'disk quota exceeded': 'EDQUOT',
  'file too large': 'EFBIG',
  'is a directory': 'EISDIR',
  'not a directory': 'ENOTDIR',
  'read-only file system': 'EROFS',
  'i/o error': 'EIO',
  'input/output error': 'EIO',
  'file exists': 'EEXIST',
  'no file descriptors available': 'EMFILE',
  'too many open files': 'EMFILE',
  'filename too long': 'ENAMETOOLONG',
  'file name too long': 'ENAMETOOLONG',
  'symbolic link loop': 'ELOOP',
  'too many levels of symbolic links': 'ELOOP',
};

interface SystemError extends Error {
  code: string;
  syscall: string;
}

function isSystemError(e: unknown): e is SystemError {
  const { code, syscall } = (e ?? {}) as Partial<SystemError>;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string';
}

/** The innermost reason of an HDF5 error stack ("file signature not found"), or the message's first line. */
export function h5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)/g)];
  return frames.length > 0 ? frames[frames.length - 1]![1]!.trim() : text.split('\n')[0]!;
}

/** HDF5's stack names the OS error only as text deep inside ("errno = 51, error message = 'No space left on device'"). */
function hdf5Cause(stack: string): IoCause {
  const said = [...stack.matchAll(/error message = '([^']*)'/g)].at(-1)?.[1];
  if (said !== undefined) return { code: ERRNO_BY_TEXT[said.toLowerCase()] ?? null, text: said.toLowerCase(), diagnostic: stack };
  return { code: null, text: h5Reason(stack).split(': ')[0]!, diagnostic: stack };
}

/** The cause of a file-system or HDF5 failure, or null when `e` is neither (a bug, a layout problem: not ours to word). */
export function ioCause(e: unknown): IoCause | null {
  if (e instanceof IoProblem) return { code: e.code, text: e.message, diagnostic: e.diagnostic };
  // Node words it "ENOSPC: no space left on device, write '/the/temp/file'": keep the description alone.
  if (isSystemError(e)) return { code: e.code, text: /^E[A-Z0-9]+: ([^,]*)/.exec(e.message)?.[1] ?? e.message, diagnostic: null };
  if (e instanceof Error && e.message.startsWith('HDF5-DIAG')) return hdf5Cause(e.message);
  return null;
}

/**
 * The CheckpointError for an I/O failure of `subject` ("Linear", "Adam") while it was `action` ("save to", "load")
 * `path` (the user's; null for bytes); null when `e` is no I/O failure.
 */
export function checkpointFailure(subject: string, action: string, path: string | null, e: unknown): CheckpointError | null {
  if (e instanceof CheckpointError) return e;
  const cause = ioCause(e);
  if (cause === null) return null;
  const why = cause.code === null ? cause.text : `${cause.code} (${cause.text})`;
  const where = path === null ? 'checkpoint bytes' : path;
  return new CheckpointError(`${subject}: cannot ${action} ${where}: ${why}`, { path, code: cause.code, diagnostic: cause.diagnostic, cause: e });
}
