// Float64 plain-loop references of 2-D convolution and transposed convolution on NCHW data (tests only).

export interface ConvRefGeometry {
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
  groups: number;
}

export interface DeconvRefGeometry extends ConvRefGeometry {
  postpad: [number, number];
}

type Shape4 = readonly [number, number, number, number] | readonly number[];

const idx4 = (s: Shape4, a: number, b: number, c: number, d: number) => ((a * s[1]! + b) * s[2]! + c) * s[3]! + d;
const span = (k: number, d: number) => d * (k - 1) + 1;

/** Shape of conv(x, w): o = floor((i + 2p − d(k−1) − 1)/s) + 1. */
export function convShape64(xShape: Shape4, wShape: Shape4, g: ConvRefGeometry): number[] {
  const out = (a: 0 | 1) => Math.floor((xShape[2 + a]! + 2 * g.pad[a] - span(wShape[2 + a]!, g.dilation[a])) / g.stride[a]) + 1;
  return [xShape[0]!, wShape[0]!, out(0), out(1)];
}

/** Shape of deconv(x, w), w being (Cin, Cout/groups, kh, kw): o = (i−1)s + d(k−1) − 2p + 1 + postpad. */
export function deconvShape64(xShape: Shape4, wShape: Shape4, g: DeconvRefGeometry): number[] {
  const out = (a: 0 | 1) => (xShape[2 + a]! - 1) * g.stride[a] + span(wShape[2 + a]!, g.dilation[a]) - 2 * g.pad[a] + g.postpad[a];
  return [xShape[0]!, wShape[1]! * g.groups, out(0), out(1)];
}

/**
 * Visits every (input, weight, output) index triple of y = conv(x, w) with w (O, C/groups, kh, kw):
 * y[n,o,oy,ox] += x[n, group·C/groups + c, oy·s − p + ky·d, ox·s − p + kx·d] · w[o,c,ky,kx] over in-bounds taps.
 */
export function forEachConvTap(
  xShape: Shape4,
  wShape: Shape4,
  yShape: Shape4,
  g: ConvRefGeometry,
  visit: (xi: number, wi: number, yi: number) => void,
): void {
  const [n, , h, w] = xShape as number[];
  const [o, cg, kh, kw] = wShape as number[];
  const og = o! / g.groups;
  for (let b = 0; b < n!; b++)
    for (let oc = 0; oc < o!; oc++)
      for (let c = 0; c < cg!; c++) {
        const ic = Math.floor(oc / og) * cg! + c;
        for (let oy = 0; oy < yShape[2]!; oy++)
          for (let ox = 0; ox < yShape[3]!; ox++)
            for (let ky = 0; ky < kh!; ky++) {
              const iy = oy * g.stride[0] - g.pad[0] + ky * g.dilation[0];
              if (iy < 0 || iy >= h!) continue;
              for (let kx = 0; kx < kw!; kx++) {
                const ix = ox * g.stride[1] - g.pad[1] + kx * g.dilation[1];
                if (ix < 0 || ix >= w!) continue;
                visit(idx4(xShape, b, ic, iy, ix), idx4(wShape, oc, c, ky, kx), idx4(yShape, b, oc, oy, ox));
              }
            }
      }
}

function addBias(y: Float64Array, shape: Shape4, bias: ArrayLike<number> | null): Float64Array {
  if (!bias) return y;
  const plane = shape[2]! * shape[3]!;
  return y.map((v, i) => v + bias[Math.floor(i / plane) % shape[1]!]!);
}

/** Per-map sums of a gradient over batch and space. */
export function mapSums64(grad: ArrayLike<number>, shape: Shape4): Float64Array {
  const out = new Float64Array(shape[1]!);
  const plane = shape[2]! * shape[3]!;
  for (let i = 0; i < grad.length; i++) out[Math.floor(i / plane) % shape[1]!]! += grad[i]!;
  return out;
}

export function conv64(x: ArrayLike<number>, xShape: Shape4, w: ArrayLike<number>, wShape: Shape4, bias: ArrayLike<number> | null, g: ConvRefGeometry) {
  const shape = convShape64(xShape, wShape, g);
  const y = new Float64Array(shape.reduce((p, d) => p * d, 1));
  forEachConvTap(xShape, wShape, shape, g, (xi, wi, yi) => (y[yi]! += x[xi]! * w[wi]!));
  return { y: addBias(y, shape, bias), shape };
}

export function convBackwardData64(dy: ArrayLike<number>, w: ArrayLike<number>, wShape: Shape4, xShape: Shape4, g: ConvRefGeometry): Float64Array {
  const dx = new Float64Array(xShape.reduce((p, d) => p * d, 1));
  forEachConvTap(xShape, wShape, convShape64(xShape, wShape, g), g, (xi, wi, yi) => (dx[xi]! += dy[yi]! * w[wi]!));
  return dx;
}

export function convBackwardParams64(x: ArrayLike<number>, xShape: Shape4, dy: ArrayLike<number>, wShape: Shape4, g: ConvRefGeometry) {
  const yShape = convShape64(xShape, wShape, g);
  const dw = new Float64Array(wShape.reduce((p, d) => p * d, 1));
  forEachConvTap(xShape, wShape, yShape, g, (xi, wi, yi) => (dw[wi]! += x[xi]! * dy[yi]!));
  return { dw, db: mapSums64(dy, yShape) };
}

// A deconvolution scatters x[n,ci,iy,ix]·w[ci,co,ky,kx] into y[n,co,iy·s − p + ky·d, ix·s − p + kx·d]: the taps of
// the convolution from y back to x, whose weights (Cin, Cout/groups, kh, kw) are exactly w.

export function deconv64(x: ArrayLike<number>, xShape: Shape4, w: ArrayLike<number>, wShape: Shape4, bias: ArrayLike<number> | null, g: DeconvRefGeometry) {
  const shape = deconvShape64(xShape, wShape, g);
  const y = new Float64Array(shape.reduce((p, d) => p * d, 1));
  forEachConvTap(shape, wShape, xShape, g, (yi, wi, xi) => (y[yi]! += x[xi]! * w[wi]!));
  return { y: addBias(y, shape, bias), shape };
}

export function deconvBackwardData64(dy: ArrayLike<number>, w: ArrayLike<number>, wShape: Shape4, xShape: Shape4, g: DeconvRefGeometry): Float64Array {
  const dx = new Float64Array(xShape.reduce((p, d) => p * d, 1));
  forEachConvTap(deconvShape64(xShape, wShape, g), wShape, xShape, g, (yi, wi, xi) => (dx[xi]! += dy[yi]! * w[wi]!));
  return dx;
}

export function deconvBackwardParams64(x: ArrayLike<number>, xShape: Shape4, dy: ArrayLike<number>, wShape: Shape4, g: DeconvRefGeometry) {
  const yShape = deconvShape64(xShape, wShape, g);
  const dw = new Float64Array(wShape.reduce((p, d) => p * d, 1));
  forEachConvTap(yShape, wShape, xShape, g, (yi, wi, xi) => (dw[wi]! += x[xi]! * dy[yi]!));
  return { dw, db: mapSums64(dy, yShape) };
}
