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
