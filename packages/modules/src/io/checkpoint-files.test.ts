import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readFile, readlink, readdir, rm, symlink, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChildScript, skipNote } from '@puzzle/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Linear } from '../linear.js';
import { randomize } from '../test-support/checkpoint-models.js';
import { CheckpointError } from './checkpoint-error.js';

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

/** The rejection of `promise`, which must be a CheckpointError. */
async function checkpointError(promise: Promise<unknown>): Promise<CheckpointError> {
  const e = await promise.then(
    () => expect.fail('expected a CheckpointError'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CheckpointError);
  expect((e as Error).message).not.toContain('\n');
  return e as CheckpointError;
}

/** Runs `fn` while recording, at each fsync, which files `dir` holds. */
async function listingsAtFsync(dir: string, fn: () => Promise<void>): Promise<string[][]> {
  const probe = await open(join(dir, '.probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  await rm(join(dir, '.probe'));
  const listings: string[][] = [];
  const original = proto.sync;
  const sync = vi.spyOn(proto, 'sync').mockImplementation(function (this: FileHandle) {
    listings.push(readdirSync(dir).sort());
    return original.call(this);
  });
  try {
    await fn();
  } finally {
    sync.mockRestore();
  }
  return listings;
}

describe('checkpoint files', () => {
  let dir: string;
  let lin: Linear;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'puzzle-ckpt-files-'));
    lin = new Linear(4, 3);
    randomize(lin, 3);
  });

  afterEach(async () => {
    lin.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file is ENOENT naming the path the user gave, in one line', async () => {
    const path = join(dir, 'missing.hdf');
    const e = await checkpointError(lin.load(path));
    expect(e.message).toBe(`Linear: cannot load ${path}: ENOENT (no such file or directory)`);
    expect([e.code, e.path]).toEqual(['ENOENT', path]);
  });

  it('a directory given to load is EISDIR, not "file read failed"', async () => {
    const e = await checkpointError(lin.load(dir));
    expect(e.code).toBe('EISDIR');
    expect(e.message).toMatch(/^Linear: cannot load .*: EISDIR \(.* is a directory, not a checkpoint file\)$/);
  });

  it('a save under a parent that is a regular file is ENOTDIR naming that file, not EEXIST', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, 'x');
    const e = await checkpointError(lin.save(join(file, 'sub', 'model.hdf')));
    expect(e.code).toBe('ENOTDIR');
    expect(e.message).toBe(`Linear: cannot save to ${join(file, 'sub', 'model.hdf')}: ENOTDIR (not a directory: ${file} is a regular file)`);
  });

  it('a save to a directory is EISDIR and leaves the directory as it was', async () => {
    await mkdir(join(dir, 'model.hdf'));
    const e = await checkpointError(lin.save(join(dir, 'model.hdf')));
    expect(e.code).toBe('EISDIR');
    expect((await lstat(join(dir, 'model.hdf'))).isDirectory()).toBe(true);
  });

  it('a save to a symbolic link writes through it: the link stays, its target gets the checkpoint', async () => {
    await mkdir(join(dir, 'real'));
    const target = join(dir, 'real', 'model.hdf');
    const link = join(dir, 'latest.hdf');
    await symlink(join('real', 'model.hdf'), link);
    await lin.save(link);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(join('real', 'model.hdf'));
    const other = new Linear(4, 3);
    await other.load(target);
    expect(other.W.get().data).toEqual(lin.W.get().data);
    other.dispose();
  });

  it.skipIf(!hasMkfifo)(`a save aimed at something that is not a regular file (a named pipe) refuses to replace it${skipNote(!hasMkfifo, 'no mkfifo here')}`, async () => {
    const fifo = join(dir, 'pipe.hdf');
    execFileSync('mkfifo', [fifo]);
    const e = await checkpointError(lin.save(fifo));
    expect(e.message).toBe(`Linear: cannot save to ${fifo}: ${fifo} is a named pipe; only a regular file is replaced by a save`);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('the next save removes the temp files of writers that died mid-save, and keeps a live writer\'s', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    const stale = `.model.hdf.${dead}.0123abcd.tmp`;
    const live = `.model.hdf.${process.ppid}.4567cdef.tmp`;
    const unrelated = `.other.hdf.${dead}.89abcdef.tmp`;
    for (const name of [stale, live, unrelated]) await writeFile(join(dir, name), 'partial');
    await lin.save(join(dir, 'model.hdf'));
    expect((await readdir(dir)).sort()).toEqual([live, unrelated, 'model.hdf'].sort());
  });

  it('flushes the temp file before renaming it over the target, and the folder after the rename', async () => {
    const path = join(dir, 'model.hdf');
    const listings = await listingsAtFsync(dir, () => lin.save(path));
    expect(listings).toHaveLength(2);
    expect(listings[0]!.filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    expect(listings[0]).not.toContain('model.hdf');
    expect(listings[1]).toEqual(['model.hdf']);
  });

  it('flipped bytes in an uncompressed checkpoint are a CheckpointError on load, never weights', async () => {
    const path = join(dir, 'model.hdf');
    await lin.save(path, { compress: false });
    const bytes = await readFile(path);
    const W = Buffer.from(lin.W.get().data.buffer);
    const at = bytes.indexOf(W);
    expect(at).toBeGreaterThan(0);
    bytes[at + 5]! ^= 0x10;
    await writeFile(path, bytes);
    const fresh = new Linear(4, 3);
    randomize(fresh, 9);
    const before = fresh.W.get().data;
    const e = await checkpointError(fresh.load(path));
    expect(e.message).toMatch(/^Linear: cannot load .*model\.hdf: dataset '\/params\/\d' is corrupt: its values have CRC-32 0x[0-9a-f]{8}, the file recorded 0x[0-9a-f]{8}$/);
    expect(fresh.W.get().data).toEqual(before);
    fresh.dispose();
  });

  it('a damaged compressed chunk is one line naming the file, HDF5\'s stack kept on the error', async () => {
    const big = new Linear(64, 64);
    randomize(big, 4);
    const path = join(dir, 'big.hdf');
    await big.save(path);
    const bytes = await readFile(path);
    // The weights' gzip stream is most of the file: damage its middle.
    for (let i = 0; i < 64; i++) bytes[Math.floor(bytes.length / 2) + i]! ^= 0xff;
    await writeFile(path, bytes);
    const e = await checkpointError(big.load(path));
    expect(e.message).toMatch(new RegExp(`^Linear: cannot load ${path}: `));
    expect(e.message.length).toBeLessThan(300);
    if (e.diagnostic !== null) expect(e.diagnostic).toMatch(/^HDF5-DIAG/);
    big.dispose();
  });

  it('a write that fails inside HDF5 (EFBIG: over the file size limit) names the errno and the user\'s path in one line', async () => {
    await using child = await bundleChildScript(fileURLToPath(new URL('../test-support/save-linear.ts', import.meta.url)));
    const path = join(dir, 'model.hdf');
    // ulimit -f counts KiB; the weights of Linear(256, 256) are 256 KiB. SIGXFSZ is ignored, so write() fails instead.
    const run = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" "${child.path}" "${path}" 256`], { encoding: 'utf8', env: { ...process.env, PUZZLE_QUIET: '1' } });
    const result = JSON.parse(run.stdout) as { name: string; message: string; code: string; path: string; diagnostic: string };
    expect(result.name).toBe('CheckpointError');
    expect(result.message).toBe(`Linear: cannot save to ${path}: EFBIG (file too large)`);
    expect([result.code, result.path]).toEqual(['EFBIG', path]);
    expect(result.diagnostic).toMatch(/^HDF5-DIAG: Error detected in HDF5[\s\S]*error message = 'File too large'/);
    expect(await readdir(dir)).toEqual([]);
  });
});
