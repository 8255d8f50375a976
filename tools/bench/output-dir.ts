import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where full numbers go: $OUT on the device machine (its files come back to the session), else out/bench under
 * the repository root (git-ignored). The device tool returns at most 8 files, two folders deep, so runs write a
 * handful of flat files.
 */
export function outputDir(requested: string | undefined): string {
  const dir = path.resolve(requested ?? process.env['OUT'] ?? 'out/bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);
  return file;
}

export function writeText(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
}
