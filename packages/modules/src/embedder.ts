import { CostKernels, Dnn, fmtShape, gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, sameShapes, type Data, type ShapeOf } from './data.js';
import { createTensorWithScheme, type FactorType, type InitScheme } from './init.js';
import { Module, type BackwardOptions } from './module.js';
import { Variable } from './variable.js';
import { positiveInt } from './args.js';

export interface EmbedderOptions {
  /** Edits the host weights before upload (e.g. to load pretrained rows). */
  onVocabulary?: (W: HostArray) => void;
  initscheme?: InitScheme | [InitScheme, FactorType];
  wscale?: number;
  /** When false, W never changes: its grad stays zero and updateParams is a no-op. */
  learnable?: boolean;
  name?: string | null;
}

/**
 * Word embeddings: int32 indices (N, sentlength) → rows of W (vocabulary, embsize), (N, sentlength, embsize);
 * index −1 gives a zero row. No input gradient. W.grad = scale·(scatter-add of the grads) + momentum·W.grad
 * (PuzzleLib zeroes W.grad and ignores momentum: fixed, port decision 3). Port of PuzzleLib/Modules/Embedder.py.
 */
export class Embedder extends Module {
  readonly sentlength: number;
  readonly embsize: number;
  readonly learnable: boolean;
  /** Word of each row (empty when the vocabulary was given as a size). */
  readonly vocab: readonly string[];
  /** Check that every index lies in [−1, vocabulary) before the lookup (PuzzleLib's Config.verifyData). */
  verifyData = true;

  constructor(vocabulary: number | Readonly<Record<string, number>>, sentlength: number, embsize: number, opts: EmbedderOptions = {}) {
    super(opts.name ?? null);
    this.sentlength = positiveInt(this.describe(), 'sentlength', sentlength);
    this.embsize = positiveInt(this.describe(), 'embsize', embsize);
    this.learnable = opts.learnable ?? true;
    const words = typeof vocabulary === 'number' ? [] : wordsOf(vocabulary);
    if (words === null) this.fail('vocabulary indices must be 0..V−1, each used once');
    this.vocab = words;
    const size = typeof vocabulary === 'number' ? vocabulary : this.vocab.length;
    if (!Number.isInteger(size) || size < 1) this.fail(`vocabulary must be a positive size or a word → index map, got ${String(vocabulary)}`);
    const shape = [size, embsize];
    const host = createTensorWithScheme(opts.initscheme ?? 'uniform', shape, { wscale: opts.wscale ?? 1.0, factorShape: [embsize, size] }) ?? HostArray.zeros(shape);
    opts.onVocabulary?.(host);
    this.setVar('W', new Variable(gpuarray.toGpu(host)));
  }

  get W(): GPUArray {
    return this.getVar('W').data;
  }

  /** Word → row index. */
  getVocabulary(): Map<string, number> {
    return new Map(this.vocab.map((word, i) => [word, i]));
  }

  protected updateData(data: Data): Data {
    const indices = asArrayOf(data, this);
    if (this.verifyData) this.verifyIndices(indices);
    return Dnn.embed(indices, this.W);
  }

  /** There is no input gradient (indices are not differentiable): `grad` stays null. */
  override backward(grad: Data, opts: BackwardOptions = {}): void {
    super.backward(grad, { ...opts, updGrad: false });
  }

  protected updateGrad(): Data {
    this.fail('has no input gradient');
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    const W = this.getVar('W');
    if (!this.learnable) return void W.grad!.fill(0);
    Dnn.embedBackwardParams(this.inData as GPUArray, asArrayOf(grad, this), W.grad!, { scale, momentum });
  }

  override updateParams(learnRate: number): void {
    if (this.learnable) super.updateParams(learnRate);
  }

  private verifyIndices(indices: GPUArray): void {
    if (indices.size === 0) return;
    const { min, max } = CostKernels.labelRange(indices);
    const vocabsize = this.W.shape[0]!;
    if (min < -1) this.fail(`data verification failed: found index ${min} (< -1) in ${fmtShape(indices.shape)}`);
    if (max >= vocabsize) this.fail(`data verification failed: found index ${max} (vocabulary size is ${vocabsize}) in ${fmtShape(indices.shape)}`);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return [...(shape as readonly number[]), this.embsize];
  }

  override gradShapeFrom(_shape: ShapeOf): ShapeOf {
    this.fail('gradient propagation is undefined');
  }

  protected override checkDataType(data: Data): void {
    if (data instanceof Array || data.dtype !== 'int32') this.fail(`expects int32 indices, got ${data instanceof Array ? 'a list' : data.dtype}`);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape) || shape.length !== 2 || shape[1] !== this.sentlength) {
      this.fail(`expects (batch, ${this.sentlength}) indices, got ${isShape(shape) ? fmtShape(shape) : 'a list'}`);
    }
  }

  protected override checkGradShape(shape: ShapeOf): void {
    const batch = (this.inData as GPUArray).shape[0]!;
    const wanted = [batch, this.sentlength, this.embsize];
    if (!sameShapes(shape, wanted)) this.fail(`expects a gradient of shape ${fmtShape(wanted)}, got ${isShape(shape) ? fmtShape(shape) : 'a list'}`);
  }
}

/** The words of a word → index map ordered by index, or null unless the indices are exactly 0..V−1. */
function wordsOf(vocabulary: Readonly<Record<string, number>>): string[] | null {
  const entries = Object.entries(vocabulary);
  const words = new Array<string | undefined>(entries.length);
  for (const [word, idx] of entries) {
    if (!Number.isInteger(idx) || idx < 0 || idx >= entries.length || words[idx] !== undefined) return null;
    words[idx] = word;
  }
  return words as string[];
}
