// Memory facade (PuzzleLib Backend/Memory): transpose, moveaxis, swapaxes, depthConcat.
export {};
