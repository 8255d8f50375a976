// Conversions between float32 values and IEEE-754 half bits, rounding to nearest even.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return sign | half;
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function halfToFloat32(src: Uint16Array<ArrayBufferLike>, dst: Float32Array<ArrayBufferLike> = new Float32Array(src.length)): Float32Array<ArrayBufferLike> {
  for (let i = 0; i < src.length; i++) dst[i] = fromHalfBits(src[i]!);
  return dst;
}

export function float32ToHalf(src: ArrayLike<number>, dst: Uint16Array<ArrayBufferLike> = new Uint16Array(src.length)): Uint16Array<ArrayBufferLike> {
  for (let i = 0; i < src.length; i++) dst[i] = toHalfBits(src[i]!);
  return dst;
}
