import { fmtShape } from '@puzzle/backend';
import { isShape, sameShapes, type ShapeOf } from './data.js';

/** A non-empty list of arrays of one shape, else `fail` with the offending shapes. */
export function checkEqualShapes(shape: ShapeOf, fail: (message: string) => never): void {
  if (isShape(shape) || shape.length === 0 || !shape.every(isShape)) fail('expects a non-empty list of arrays');
  const shapes = shape as (readonly number[])[];
  shapes.forEach((s, i) => {
    if (!sameShapes(s, shapes[0]!)) fail(`input ${i} has shape ${fmtShape(s)}, input 0 has ${fmtShape(shapes[0]!)}`);
  });
}
