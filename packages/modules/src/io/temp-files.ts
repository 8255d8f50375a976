import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A hidden file beside `base` in `dir` that names the process writing it: ".<base>.<pid>.<random>.tmp". */
export function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temp files of `base` in `dir` left by writers that died mid-save (killed, out of power): their process
 * no longer exists. A live writer's file, ours included, is left alone. Best effort: a failure here never fails the
 * save that called it. NOTE: a folder shared between machines can hold another host's live pid; such a file waits
 * until that pid is free here too.
 */
export async function removeStaleTemps(dir: string, base: string): Promise<string[]> {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = pattern.exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  return stale;
}
