// Convolution entries (the algorithm is dnn_conv.cc) and the per-channel bias helpers of convolutions:
// convForward(dtype, x, w, y, shape, precision), convBackwardData(dtype, dy, w, dx, shape, precision),
// convBackwardParams(dtype, x, dy, wgrad, shape, scale, momentum, precision),
// addChannelBias(dtype, out, bias, n, c, s), channelSums(dtype, x, out, n, c, s, alpha, beta).
#include "cuda_check.h"
#include "device_state.h"
#include "dnn_conv.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"
#include "matmul_precision.h"

namespace puzzle {

namespace {

napi_value convForward(const Args& args) {
  const DeviceState& st = readyDevice("convNd");
  runConvForward(st, dnnFloatDtype(args, 0), args.pointer(1), args.pointer(2), args.pointer(3), convShapeArg(args, 4),
                 matmulPrecisionArg(args, 5));
  return undefinedValue(args.env());
}

napi_value convBackwardData(const Args& args) {
  const DeviceState& st = readyDevice("convNdBackwardData");
  runConvBackwardData(st, dnnFloatDtype(args, 0), args.pointer(1), args.pointer(2), args.pointer(3),
                      convShapeArg(args, 4), matmulPrecisionArg(args, 5));
  return undefinedValue(args.env());
}

napi_value convBackwardParams(const Args& args) {
  const DeviceState& st = readyDevice("convNdBackwardParams");
  runConvBackwardParams(st, dnnFloatDtype(args, 0), args.pointer(1), args.pointer(2), args.pointer(3),
                        convShapeArg(args, 4), static_cast<float>(args.number(5)), static_cast<float>(args.number(6)),
                        matmulPrecisionArg(args, 7));
  return undefinedValue(args.env());
}

/** out[n, c, s] += bias[c]. */
napi_value addChannelBias(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchAddChannelBias(dtype, args.pointer(1), args.pointer(2), args.count(3), args.count(4), args.count(5)),
            "bias kernel");
  return undefinedValue(args.env());
}

/** out[c] = alpha·Σ_{n,s} x + beta·out[c] (the bias gradient); beta = 0 ignores out's contents. */
napi_value channelSums(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchChannelSums(dtype, args.pointer(1), args.pointer(2), args.count(3), args.count(4), args.count(5),
                              static_cast<float>(args.number(6)), static_cast<float>(args.number(7))),
            "channel sums kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnConvEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "convForward", entry<convForward>);
  defineFunction(env, exports, "convBackwardData", entry<convBackwardData>);
  defineFunction(env, exports, "convBackwardParams", entry<convBackwardParams>);
  defineFunction(env, exports, "addChannelBias", entry<addChannelBias>);
  defineFunction(env, exports, "channelSums", entry<channelSums>);
}

}  // namespace puzzle
