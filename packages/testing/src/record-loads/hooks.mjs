// Module hooks (they run on Node's hooks thread): record each loaded URL, one per line, then load it unchanged.
import { appendFileSync } from 'node:fs';

let out = null;

export function initialize(data) {
  out = data.file;
}

export async function load(url, context, nextLoad) {
  if (out) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
