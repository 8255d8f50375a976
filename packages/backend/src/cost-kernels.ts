// Cost kernels facade (PuzzleLib Kernels/Costs).
export {};
