import type { ArrayRef } from './engine.js';

/**
 * A fused cost kernel: one pass writes the gradient and the summed per-element error.
 * Every grad is PuzzleLib's neg-grad (minus the derivative of the summed error) times `gradNorm`.
 * Scores, predictions and grads are contiguous float32; labels are contiguous int32. Label values are in range
 * (the facade's caller verifies them). Σ of the per-element error below, unscaled, is what reaches the ErrorSink.
 */
export type CostKernel =
  /** d = pred − target; error d²/2; grad = −gradNorm·d. */
  | { kind: 'mse'; pred: ArrayRef; target: ArrayRef; grad: ArrayRef; gradNorm: number }
  /** d = pred − target; error |d|; grad = gradNorm·(d > 0 ? −1 : +1). */
  | { kind: 'abs'; pred: ArrayRef; target: ArrayRef; grad: ArrayRef; gradNorm: number }
  /** d = pred − target; error |d| < 1 ? d²/2 : |d| − 1/2; grad = −gradNorm·(|d| < 1 ? d : sign d). */
  | { kind: 'smoothL1'; pred: ArrayRef; target: ArrayRef; grad: ArrayRef; gradNorm: number }
  /** Logits s and labels y ∈ {0, 1} paired by flat index; error −log σ(s) or −log(1 − σ(s)); grad = gradNorm·(y − σ(s)). */
  | { kind: 'bce'; scores: ArrayRef; labels: ArrayRef; grad: ArrayRef; gradNorm: number }
  /** Labels y ∈ {−1, 1} shaped like the scores; error max(0, 1 − s·y); grad = gradNorm·y where s·y < 1, else 0. */
  | { kind: 'hinge'; scores: ArrayRef; labels: ArrayRef; grad: ArrayRef; gradNorm: number }
  /**
   * Pairs (rows, cols) with one label per row (1 similar, 0 dissimilar); d = x1 − x2, sign(0) = −1.
   * Similar: error |d|, g1 = −gradNorm·sign d. Dissimilar: error max(0, 1 − |d|), g1 = gradNorm·sign d·[|d| < 1].
   * g2 = −g1.
   */
  | { kind: 'l1Hinge'; x1: ArrayRef; x2: ArrayRef; labels: ArrayRef; g1: ArrayRef; g2: ArrayRef; cols: number; gradNorm: number }
  /**
   * Scores (batch, classes, spatial), labels (batch, spatial); p = softmax over the class axis; w = weights[label]
   * (1 without weights). Error −w·log p[label]; grad = gradNorm·w·(onehot − p).
   */
  | {
      kind: 'crossEntropy';
      scores: ArrayRef;
      labels: ArrayRef;
      weights: ArrayRef | null;
      grad: ArrayRef;
      batch: number;
      classes: number;
      spatial: number;
      gradNorm: number;
    }
  /**
   * Scores (batch, classes, spatial), labels (batch, spatial); cls = +1 on the label class, −1 elsewhere, e = max(0, 1 − s·cls).
   * l1: error e, grad = gradNorm·cls·[e > 0]. l2: error e², grad = gradNorm·2·cls·e.
   */
  | {
      kind: 'svm';
      mode: 'l1' | 'l2';
      scores: ArrayRef;
      labels: ArrayRef;
      grad: ArrayRef;
      batch: number;
      classes: number;
      spatial: number;
      gradNorm: number;
    }
  /**
   * pred and target (rows, cols); x = softmax(pred row), y = target row, or softmax(target row) when normTarget;
   * y⁺ = y·[y > 0]. Error y⁺·(log y − log x); grad = gradNorm·(y⁺ − x·Σ_row y⁺) (the derivative of the error).
   */
  | { kind: 'klDivergence'; pred: ArrayRef; target: ArrayRef; grad: ArrayRef; rows: number; cols: number; normTarget: boolean; gradNorm: number };

/** Counting kernels of the validation metrics; each returns a count. */
export type CostMetric =
  /** Σ [predicted ≠ labels] over two int32 arrays of one size. */
  | { kind: 'labelMismatch'; predicted: ArrayRef; labels: ArrayRef }
  /** Σ [predicted ≠ (label = 1)] where predicted = v > threshold, or v ≤ threshold when `atMost` (paired by flat index). */
  | { kind: 'thresholdMismatch'; values: ArrayRef; labels: ArrayRef; threshold: number; atMost: boolean };

/**
 * Where a cost kernel leaves its error, on the device so that a training step never waits for it (PuzzleLib keeps
 * devErr and accumErr on the GPU too): with e = scale·Σ error, slots[0] = e and slots[1] += e. `slots` is a
 * contiguous float32 array of two elements.
 */
export interface ErrorSink {
  readonly slots: ArrayRef;
  readonly scale: number;
}

/** Fused kernels of the cost functions (PuzzleLib Kernels/Costs), implemented by each engine. */
export interface CostOps {
  /** Writes the grad(s) of `kernel` and its scaled summed error into `sink`, without waiting for the device. */
  cost(kernel: CostKernel, sink: ErrorSink): void;
  /** Returns the count of `metric`. */
  count(metric: CostMetric): number;
  /** Smallest and largest value of a contiguous int32 array (label verification). */
  labelRange(labels: ArrayRef): { min: number; max: number };
}
