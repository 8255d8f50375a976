import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { removeStaleTemps, tempName } from './temp-files.js';
import { resolveWriteTarget } from './write-target.js';

async function fsyncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the file at `path` so that a crash at any moment leaves either the whole old file or the whole new one:
 * `write` fills a temp file beside the target, which is flushed to disk (fsync), renamed over the target, and the
 * folder is flushed so the rename itself survives a power cut. A symbolic link is written through; anything but a
 * regular file in the way is refused. Temp files of writers that died mid-save are removed first.
 */
export async function writeAtomically(path: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, basename(target));
  const temp = tempName(dir, basename(target));
  try {
    await write(temp);
    await fsyncPath(temp, 'r+');
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  // Windows cannot open a folder to flush it; its rename is durable once it returns.
  if (process.platform !== 'win32') await fsyncPath(dir, 'r');
}
