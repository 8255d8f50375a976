import { crc32, inflateSync } from 'node:zlib';
import { Rng } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { encodeGrayPng } from './gray-png.js';
import { VisualError } from './visual-error.js';

/** A minimal PNG reader for the test: chunk list with CRCs checked by zlib. */
function readChunks(png: Uint8Array): { type: string; body: Buffer }[] {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    expect(buf.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(buf.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, body: buf.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

describe('encodeGrayPng', () => {
  it('writes an 8-bit grayscale PNG whose scanlines inflate back to the pixels', () => {
    const rng = new Rng(5);
    const [w, h] = [7, 5];
    const pixels = Uint8Array.from({ length: w * h }, () => Math.floor(rng.uniform() * 256));
    const chunks = readChunks(encodeGrayPng(pixels, w, h));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.body;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([w, h, 8, 0]);
    const raw = inflateSync(chunks[1]!.body);
    expect(raw.length).toBe(h * (w + 1));
    for (let y = 0; y < h; y++) {
      expect(raw[y * (w + 1)]).toBe(0);
      expect([...raw.subarray(y * (w + 1) + 1, (y + 1) * (w + 1))]).toEqual([...pixels.subarray(y * w, (y + 1) * w)]);
    }
  });

  it('rejects pixels that do not fill the size', () => {
    expect(() => encodeGrayPng(new Uint8Array(5), 2, 3)).toThrow(VisualError);
    expect(() => encodeGrayPng(new Uint8Array(5), 2, 3)).toThrow(/5 pixels do not fill 2×3/);
  });
});
