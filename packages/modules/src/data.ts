import { fmtShape, GPUArray } from '@puzzle/backend';

/** What flows between modules: one array or a (possibly nested) list of them. */
export type Data = GPUArray | Data[];

export type ShapeOf = readonly number[] | ShapeOf[];

export function shapesOf(data: Data): ShapeOf {
  return data instanceof GPUArray ? data.shape : data.map(shapesOf);
}

export function dtypesOf(data: Data): string[] {
  return data instanceof GPUArray ? [data.dtype] : data.flatMap(dtypesOf);
}

export function fmtShapes(shape: ShapeOf): string {
  return isShape(shape) ? fmtShape(shape) : `[${shape.map(fmtShapes).join(', ')}]`;
}

export function isShape(shape: ShapeOf): shape is readonly number[] {
  return shape.length === 0 || typeof shape[0] === 'number';
}

/** Whether fmtShapes prints `a` and `b` alike, found without printing them (checks run on every call). */
export function sameShapes(a: ShapeOf, b: ShapeOf): boolean {
  const flat = isShape(a);
  if (flat !== isShape(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const same = flat ? a[i] === b[i] : sameShapes(a[i] as ShapeOf, b[i] as ShapeOf);
    if (!same) return false;
  }
  return true;
}

/** The first dtype in `data` (in dtypesOf's order) that is not `dtype`, or null; allocates nothing. */
export function otherDType(data: Data, dtype: string): string | null {
  if (data instanceof GPUArray) return data.dtype === dtype ? null : data.dtype;
  for (const d of data) {
    const other = otherDType(d, dtype);
    if (other !== null) return other;
  }
  return null;
}

/** Disposes every array of `data` (each handle once). */
export function disposeData(data: Data | null | undefined): void {
  if (!data) return;
  if (data instanceof GPUArray) data.dispose();
  else for (const d of data) disposeData(d);
}

export function asArray(data: Data, who: string): GPUArray {
  if (!(data instanceof GPUArray)) throw new TypeError(`${who} expects a single array, got a list of ${data.length}`);
  return data;
}

/** asArray naming `owner` by its describe(), which is only called to report a list. */
export function asArrayOf(data: Data, owner: { describe(): string }): GPUArray {
  return data instanceof GPUArray ? data : asArray(data, owner.describe());
}
