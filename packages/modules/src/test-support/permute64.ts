/** numpy transpose of C-ordered data by explicit index arithmetic, for the axis-moving module tests. */
export function transpose64(x: ArrayLike<number>, shape: readonly number[], axes: readonly number[]): Float64Array {
  const strides = (s: readonly number[]) => s.map((_, i) => s.slice(i + 1).reduce((p, d) => p * d, 1));
  const outShape = axes.map((a) => shape[a]!);
  const [inStrides, outStrides] = [strides(shape), strides(outShape)];
  return Float64Array.from({ length: x.length }, (_, flat) => {
    const src = axes.reduce((s, a, i) => s + (Math.floor(flat / outStrides[i]!) % outShape[i]!) * inStrides[a]!, 0);
    return x[src]!;
  });
}

/** numpy moveaxis as a permutation. */
export function moveAxes(ndim: number, src: number, dst: number): number[] {
  const axes = [...Array(ndim).keys()].filter((a) => a !== src);
  axes.splice(dst, 0, src);
  return axes;
}
