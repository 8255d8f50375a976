import type { ConvFrame } from './conv-frame.js';

/** The input maps of a convolution, (batch, channels, h, w) row-major, and the group whose patches are wanted. */
export interface PatchSource {
  readonly batch: number;
  readonly channels: number;
  /** The group's first channel and its channel count. */
  readonly first: number;
  readonly count: number;
}

/** Per tap (c, ky, kx) of a group: its offset in the input from the window's corner, and its row and column shifts. */
interface Taps {
  readonly offset: Int32Array;
  readonly dy: Int32Array;
  readonly dx: Int32Array;
}

function tapsOf(src: PatchSource, f: ConvFrame): Taps {
  const [kh, kw] = f.kernel;
  const [h, w] = f.inSize;
  const count = src.count * kh * kw;
  const taps = { offset: new Int32Array(count), dy: new Int32Array(count), dx: new Int32Array(count) };
  for (let c = 0, t = 0; c < src.count; c++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, t++) {
        [taps.dy[t], taps.dx[t]] = [ky * f.dilation[0], kx * f.dilation[1]];
        taps.offset[t] = (c * h + taps.dy[t]!) * w + taps.dx[t]!;
      }
    }
  }
  return taps;
}

/**
 * Walks the patch matrix of one group, one row per output position (n, oy, ox) and one column per tap (c, ky, kx):
 * `patches[o]` is input cell `x[cell]`, zero where the tap reads padding. Gathers it (im2col) or, with `add`, adds
 * it back into the input (col2im, the adjoint). Position by position, so that one image stays in cache meanwhile.
 */
function walk(x: Float32Array, patches: Float32Array, src: PatchSource, f: ConvFrame, add: boolean): void {
  const { offset, dy, dx } = tapsOf(src, f);
  const count = offset.length;
  const [h, w] = f.inSize;
  const [oh, ow] = f.outSize;
  const [spanH, spanW] = [(f.kernel[0] - 1) * f.dilation[0] + 1, (f.kernel[1] - 1) * f.dilation[1] + 1];
  let o = 0;
  for (let n = 0; n < src.batch; n++) {
    const image = (n * src.channels + src.first) * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * f.stride[0] - f.padBefore[0];
      for (let ox = 0; ox < ow; ox++, o += count) {
        const x0 = ox * f.stride[1] - f.padBefore[1];
        const corner = image + y0 * w + x0;
        // Most windows lie inside the image: their taps need no bounds check.
        if (y0 >= 0 && y0 + spanH <= h && x0 >= 0 && x0 + spanW <= w) {
          if (add) for (let t = 0; t < count; t++) x[corner + offset[t]!]! += patches[o + t]!;
          else for (let t = 0; t < count; t++) patches[o + t] = x[corner + offset[t]!]!;
          continue;
        }
        for (let t = 0; t < count; t++) {
          const iy = y0 + dy[t]!;
          const ix = x0 + dx[t]!;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
          if (add) x[corner + offset[t]!]! += patches[o + t]!;
          else patches[o + t] = x[corner + offset[t]!]!;
        }
      }
    }
  }
}

/**
 * im2col: the patch matrix of one group, (batch·oh·ow) positions by (count·kh·kw) taps. A convolution is then one
 * matrix product with Wᵀ, which XNNPACK runs where tfjs has no suitable convolution kernel (groups; the input
 * gradient).
 */
export function patchMatrix(x: Float32Array, src: PatchSource, f: ConvFrame): Float32Array {
  const patches = new Float32Array(src.batch * f.outSize[0] * f.outSize[1] * src.count * f.kernel[0] * f.kernel[1]);
  walk(x, patches, src, f, false);
  return patches;
}

/** col2im, the adjoint of patchMatrix: adds each patch-matrix entry to the input cell it was read from. */
export function addPatchMatrix(patches: Float32Array, into: Float32Array, src: PatchSource, f: ConvFrame): void {
  walk(into, patches, src, f, true);
}
