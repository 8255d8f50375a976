#include "layout_args.h"

#include <string>

namespace puzzle {

namespace {

struct Decoded {
  int ndim;
  int64_t shape[kMaxDims];
  int64_t first[kMaxDims];
  int64_t second[kMaxDims];
};

Decoded decode(const TypedArrayView& encoded, int strideSets) {
  const double* values = static_cast<const double*>(encoded.data);
  const size_t length = encoded.bytes / sizeof(double);
  if (length < 1) fail("ERR_PUZZLE_ARGS", "empty layout");
  Decoded d;
  d.ndim = static_cast<int>(values[0]);
  if (d.ndim < 0 || d.ndim > kMaxDims || length != static_cast<size_t>(1 + d.ndim * (1 + strideSets))) {
    fail("ERR_PUZZLE_ARGS", "malformed layout of " + std::to_string(length) + " numbers");
  }
  for (int i = 0; i < d.ndim; i++) {
    d.shape[i] = static_cast<int64_t>(values[1 + i]);
    d.first[i] = static_cast<int64_t>(values[1 + d.ndim + i]);
    d.second[i] = strideSets == 2 ? static_cast<int64_t>(values[1 + 2 * d.ndim + i]) : 0;
  }
  return d;
}

void contiguousStrides(int ndim, const int64_t* shape, int64_t* strides) {
  int64_t s = 1;
  for (int i = ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
}

}  // namespace

bool hostTransferLayout(const TypedArrayView& encoded, HostSide host, StridedLayout& out) {
  Decoded d = decode(encoded, 1);
  int64_t hostStrides[kMaxDims];
  contiguousStrides(d.ndim, d.shape, hostStrides);
  if (host == HostSide::kDestination) return collapseLayout(d.ndim, d.shape, hostStrides, d.first, out);
  return collapseLayout(d.ndim, d.shape, d.first, hostStrides, out);
}

bool deviceCopyLayout(const TypedArrayView& encoded, StridedLayout& out) {
  Decoded d = decode(encoded, 2);
  return collapseLayout(d.ndim, d.shape, d.first, d.second, out);
}

StridedLayout withContiguousSide(const StridedLayout& layout, bool destination) {
  StridedLayout out = layout;
  contiguousStrides(layout.ndim, layout.shape, destination ? out.dstStride : out.srcStride);
  return out;
}

}  // namespace puzzle
