// Decoding the layouts JS passes for strided transfers: a Float64Array [ndim, shape..., strides...] (one device
// side against contiguous host memory) or [ndim, shape..., dstStrides..., srcStrides...] (device to device).
#pragma once
#include "napi_args.h"
#include "strided_layout.h"

namespace puzzle {

enum class HostSide { kDestination, kSource };

/** One strided device region against contiguous host memory; false when the region holds no element. */
bool hostTransferLayout(const TypedArrayView& encoded, HostSide host, StridedLayout& out);

/** A device-to-device copy; false when the region holds no element. */
bool deviceCopyLayout(const TypedArrayView& encoded, StridedLayout& out);

/** The same shape with contiguous strides on one side (the staging buffer of a two-step copy). */
StridedLayout withContiguousSide(const StridedLayout& layout, bool destination);

}  // namespace puzzle
