import { itemSize } from '../../dtype.js';
import type { TensorOps } from '../../engine/tensor-ops.js';
import { BackendError, fmtShape } from '../../errors.js';
import { addressOf } from './cuda-buffer.js';
import type { CudaDnnContext } from './cuda-dnn-context.js';

// numpy transpose as the addon's strided device copy: out[i...] = x[perm(i)...], i.e. a copy to out's contiguous
// strides from x's strides permuted by `axes`. The copy merges axes where it can and works for every dtype.

export function transposeOps({ addon }: CudaDnnContext): Pick<Required<TensorOps>, 'transpose'> {
  return {
    transpose(x, out, axes) {
      const ndim = out.shape.length;
      // The copy trusts the shapes for every address it forms.
      if (axes.length !== ndim || x.shape.length !== ndim || axes.some((a, i) => x.shape[a] !== out.shape[i])) {
        throw new BackendError('cuda.transpose', `axes [${axes.join(', ')}] do not take ${fmtShape(x.shape)} to ${fmtShape(out.shape)}`);
      }
      // [ndim, ...shape, ...dstStrides, ...srcStrides], as cuda-memory.ts encodes copies.
      const layout = new Float64Array(1 + 3 * ndim);
      layout[0] = ndim;
      layout.set(out.shape, 1);
      layout.set(out.strides, 1 + ndim);
      layout.set(axes.map((a) => x.strides[a]!), 1 + 2 * ndim);
      addon.copy(addressOf(out), addressOf(x), itemSize(x.dtype), layout);
    },
  };
}
