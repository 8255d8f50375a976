// A stand-in for puzzle_cuda.node that does no device work: every entry returns at once. Loaded through
// PUZZLE_CUDA_ADDON by host-overhead.ts, it isolates what the JavaScript side of the cuda engine costs per step.
// The loader checks the codes and interface version; host-overhead.ts hands over its own copy of them first.
'use strict';
const { CODES, INTERFACE_VERSION } = globalThis.puzzleNullAddonSpec;

let nextAddress = 1 << 20;
const zeroed = (dst) => {
  dst.fill(0);
  return dst;
};

const entries = {
  interfaceVersion: INTERFACE_VERSION,
  codes: CODES,
  probe: () => ({ ok: true, device: 'null device (no GPU work)' }),
  init: () => 'null device (no GPU work)',
  malloc(nbytes) {
    const address = nextAddress;
    nextAddress += Math.ceil(Math.max(nbytes, 1) / 256) * 256;
    return address;
  },
  read: (_src, _item, _layout, dst) => zeroed(dst),
  readAsync: (_src, _item, _layout, dst) => Promise.resolve(zeroed(dst)),
  memInfo: () => ({ free: 2 ** 40, total: 2 ** 40 }),
  labelRange: () => ({ min: 0, max: 0 }),
};

/* global module */
module.exports = new Proxy(entries, {
  get: (target, name) => (name in target ? target[name] : () => 0),
});
