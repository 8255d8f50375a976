// Convolution through im2col + cuBLAS (dnn_conv.cc), free of Node-API so the entries stay thin. Every function
// enqueues on the legacy default stream and throws NativeError on a CUDA or cuBLAS failure. `precision` is the
// MatmulPrecisionCode of the gemms.
#pragma once
#include "device_state.h"
#include "dnn_geometry.h"

namespace puzzle {

/** y = conv(x, w), no bias. */
void runConvForward(const DeviceState& st, int dtype, const void* x, const void* w, void* y, const ConvShape& s,
                    int precision);
/** dx (overwritten) = the input gradient of the convolution, given dy. */
void runConvBackwardData(const DeviceState& st, int dtype, const void* dy, const void* w, void* dx,
                         const ConvShape& s, int precision);
/** wgrad = scale·dW + momentum·wgrad; momentum 0 ignores wgrad's contents. */
void runConvBackwardParams(const DeviceState& st, int dtype, const void* x, const void* dy, void* wgrad,
                           const ConvShape& s, float scale, float momentum, int precision);

}  // namespace puzzle
