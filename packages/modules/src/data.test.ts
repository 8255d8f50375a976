import { describe, expect, it } from 'vitest';
import { fmtShapes, sameShapes, type ShapeOf } from './data.js';

describe('sameShapes', () => {
  // The shape checks used to compare printed shapes; sameShapes must agree with that on every pair.
  const shapes: ShapeOf[] = [[], [3], [3, 1], [1, 3], [0, 3], [[]], [[3]], [[3], [3]], [[3], [1, 3]], [[[2]], [2]], [[2, 2]], [2, 2]];

  it('is true exactly when fmtShapes prints both alike', () => {
    for (const a of shapes) {
      for (const b of shapes) expect([a, b, sameShapes(a, b)]).toEqual([a, b, fmtShapes(a) === fmtShapes(b)]);
    }
  });
});
