#include "strided_layout.h"

namespace puzzle {

bool collapseLayout(int ndim, const int64_t* shape, const int64_t* dstStride, const int64_t* srcStride,
                    StridedLayout& out) {
  out.ndim = 0;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 0) return false;
    if (shape[i] == 1) continue;
    int last = out.ndim - 1;
    // An axis merges into the previous one when stepping over the whole inner axis equals one outer step.
    bool mergeable = last >= 0 && out.dstStride[last] == dstStride[i] * shape[i] &&
                     out.srcStride[last] == srcStride[i] * shape[i];
    if (mergeable) {
      out.shape[last] *= shape[i];
      out.dstStride[last] = dstStride[i];
      out.srcStride[last] = srcStride[i];
    } else {
      out.shape[out.ndim] = shape[i];
      out.dstStride[out.ndim] = dstStride[i];
      out.srcStride[out.ndim] = srcStride[i];
      out.ndim++;
    }
  }
  return true;
}

int64_t elementCount(const StridedLayout& layout) {
  int64_t n = 1;
  for (int i = 0; i < layout.ndim; i++) n *= layout.shape[i];
  return n;
}

bool isDense(const int64_t* stride, const StridedLayout& layout) {
  return layout.ndim == 0 || (layout.ndim == 1 && stride[0] == 1);
}

bool isPitched(const int64_t* stride, const StridedLayout& layout) {
  return layout.ndim == 2 && stride[1] == 1 && stride[0] >= layout.shape[1];
}

int64_t spanOf(const int64_t* stride, const StridedLayout& layout) {
  int64_t last = 0;
  for (int i = 0; i < layout.ndim; i++) last += (layout.shape[i] - 1) * stride[i];
  return last + 1;
}

}  // namespace puzzle
