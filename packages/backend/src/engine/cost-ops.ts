/** Fused kernels of the cost functions (PuzzleLib Kernels/Costs). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CostOps {}
