import { lstat, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IoProblem } from './io-cause.js';

/** Linux's limit on symbolic links followed while resolving one path. */
const MAX_LINKS = 40;

function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'neither a file nor a directory';
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw await notADirectory(path);
    throw e;
  }
}

/** ENOTDIR naming the ancestor that is a file, where Node would say EEXIST (mkdir) or name the whole path. */
async function notADirectory(path: string): Promise<IoProblem> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const st = await stat(dir).catch(() => null);
    if (st !== null && !st.isDirectory()) return new IoProblem('ENOTDIR', `not a directory: ${dir} is ${kindOf(st)}`);
  }
  return new IoProblem('ENOTDIR', 'not a directory');
}

/**
 * The file a save to `path` must replace: symbolic links are followed (a save writes through a link, never replaces
 * it), and anything that is not a regular file is refused (a directory, a device node, a pipe). The file may not
 * exist yet; a parent that is a file is ENOTDIR.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let target = resolve(path);
  for (let links = 0; ; links++) {
    const st = await lstatOrNull(target);
    if (st === null || st.isFile()) return target;
    if (!st.isSymbolicLink()) {
      const code = st.isDirectory() ? 'EISDIR' : null;
      throw new IoProblem(code, `${target} is ${kindOf(st)}; only a regular file is replaced by a save`);
    }
    if (links === MAX_LINKS) throw new IoProblem('ELOOP', `too many levels of symbolic links at ${target}`);
    target = resolve(dirname(target), await readlink(target));
  }
}

/** A file to read must be a regular file (HDF5 words a directory "file read failed"). */
export async function checkReadable(path: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw await notADirectory(resolve(path));
    throw e;
  }
  if (!st.isFile()) throw new IoProblem(st.isDirectory() ? 'EISDIR' : null, `${path} is ${kindOf(st)}, not a checkpoint file`);
}
