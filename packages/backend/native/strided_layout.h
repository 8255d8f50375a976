// A copy between two strided regions of one shape, reduced to as few axes as possible so that the common cases
// become a plain or pitched memcpy and the rest a gather/scatter kernel with little index arithmetic.
#pragma once
#include <cstdint>

namespace puzzle {

constexpr int kMaxDims = 32;

/** Strides count elements. ndim 0 means a single element. */
struct StridedLayout {
  int ndim;
  int64_t shape[kMaxDims];
  int64_t dstStride[kMaxDims];
  int64_t srcStride[kMaxDims];
};

/**
 * Builds a layout, dropping size-1 axes and merging neighbours that are contiguous on both sides.
 * Returns false when the shape holds no element.
 */
bool collapseLayout(int ndim, const int64_t* shape, const int64_t* dstStride, const int64_t* srcStride,
                    StridedLayout& out);

int64_t elementCount(const StridedLayout& layout);
bool isDense(const int64_t* stride, const StridedLayout& layout);
/** Two axes with unit inner stride: a pitched 2-D copy. */
bool isPitched(const int64_t* stride, const StridedLayout& layout);
/** Elements between the first and one past the last element a side touches (strides are non-negative). */
int64_t spanOf(const int64_t* stride, const StridedLayout& layout);

}  // namespace puzzle
