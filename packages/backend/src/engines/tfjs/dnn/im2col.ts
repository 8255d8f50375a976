import type { ConvFrame } from './conv-frame.js';

/** The input maps of a convolution, (batch, channels, h, w) row-major, and the group whose patches are wanted. */
export interface PatchSource {
  readonly batch: number;
  readonly channels: number;
  /** The group's first channel and its channel count. */
  readonly first: number;
  readonly count: number;
}

/** The output positions o (of `outSize`) whose tap at `offset` reads input cell o·stride − pad + offset in [0, size). */
function validRange(size: number, outSize: number, stride: number, shift: number): [number, number] {
  const from = Math.max(0, Math.ceil(-shift / stride));
  const to = Math.min(outSize, Math.ceil((size - shift) / stride));
  return [from, Math.max(from, to)];
}

/** Calls `row(r, inputRow, outputRow, ox0, ox1, ixStart)` for each stretch of taps that read real (unpadded) cells. */
function forEachStretch(
  src: PatchSource,
  f: ConvFrame,
  row: (r: number, inputRow: number, outputRow: number, ox: [number, number], ix0: number) => void,
): void {
  const [kh, kw] = f.kernel;
  const [h, w] = f.inSize;
  const [oh, ow] = f.outSize;
  let r = 0;
  for (let c = 0; c < src.count; c++) {
    for (let ky = 0; ky < kh; ky++) {
      const shiftY = ky * f.dilation[0] - f.padBefore[0];
      const [oy0, oy1] = validRange(h, oh, f.stride[0], shiftY);
      for (let kx = 0; kx < kw; kx++, r++) {
        const shiftX = kx * f.dilation[1] - f.padBefore[1];
        const ox = validRange(w, ow, f.stride[1], shiftX);
        for (let n = 0; n < src.batch; n++) {
          const map = n * src.channels + src.first + c;
          for (let oy = oy0; oy < oy1; oy++) {
            const iy = oy * f.stride[0] + shiftY;
            row(r, (map * h + iy) * w, (n * oh + oy) * ow, ox, ox[0] * f.stride[1] + shiftX);
          }
        }
      }
    }
  }
}

/**
 * im2col: the patch matrix of one group, (count·kh·kw) rows by (batch·oh·ow) columns, row-major: row (c, ky, kx)
 * holds what that tap reads at every output position, zero where it reads padding. A convolution is then one matrix
 * product, W (O, count·kh·kw) · patches, which XNNPACK runs fast where the wasm backend has no NCHW convolution.
 */
export function patchMatrix(x: Float32Array, src: PatchSource, f: ConvFrame): Float32Array {
  const positions = src.batch * f.outSize[0] * f.outSize[1];
  const out = new Float32Array(src.count * f.kernel[0] * f.kernel[1] * positions);
  const step = f.stride[1];
  forEachStretch(src, f, (r, inputRow, outputRow, [ox0, ox1], ix0) => {
    const base = r * positions + outputRow;
    for (let ox = ox0, ix = inputRow + ix0; ox < ox1; ox++, ix += step) out[base + ox] = x[ix]!;
  });
  return out;
}

/** col2im, the adjoint of patchMatrix: adds each patch-matrix entry to the input cell it was read from. */
export function addPatchMatrix(patches: ArrayLike<number>, into: Float32Array, src: PatchSource, f: ConvFrame): void {
  const positions = src.batch * f.outSize[0] * f.outSize[1];
  const step = f.stride[1];
  forEachStretch(src, f, (r, inputRow, outputRow, [ox0, ox1], ix0) => {
    const base = r * positions + outputRow;
    for (let ox = ox0, ix = inputRow + ix0; ox < ox1; ox++, ix += step) into[ix]! += patches[base + ox]!;
  });
}
