// Reflect padding and upsampling of trailing axes: reflectPad(dtype, x, out, shape),
// reflectPadBackward(dtype, grad, out, shape), upsample(mode, dtype, x, out, shape) and
// upsampleBackward(mode, dtype, grad, out, shape). Both shapes describe the unpadded / small side.
#include <string>

#include "cuda_check.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int upsampleMode(const Args& args, size_t i) {
  const int mode = args.code(i);
  if (mode >= kUpsampleModeCount) fail("ERR_PUZZLE_ARGS", "unknown upsample mode code " + std::to_string(mode));
  return mode;
}

napi_value reflectPad(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchReflectPad(dtype, args.pointer(1), args.pointer(2), padShapeArg(args, 3)), "reflect pad kernel");
  return undefinedValue(args.env());
}

napi_value reflectPadBackward(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchReflectPadBackward(dtype, args.pointer(1), args.pointer(2), padShapeArg(args, 3)),
            "reflect pad backward kernel");
  return undefinedValue(args.env());
}

napi_value upsample(const Args& args) {
  const int mode = upsampleMode(args, 0);
  const int dtype = dnnFloatDtype(args, 1);
  checkCuda(launchUpsample(mode, dtype, args.pointer(2), args.pointer(3), upsampleShapeArg(args, 4)), "upsample kernel");
  return undefinedValue(args.env());
}

napi_value upsampleBackward(const Args& args) {
  const int mode = upsampleMode(args, 0);
  const int dtype = dnnFloatDtype(args, 1);
  checkCuda(launchUpsampleBackward(mode, dtype, args.pointer(2), args.pointer(3), upsampleShapeArg(args, 4)),
            "upsample backward kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnResampleEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "reflectPad", entry<reflectPad>);
  defineFunction(env, exports, "reflectPadBackward", entry<reflectPadBackward>);
  defineFunction(env, exports, "upsample", entry<upsample>);
  defineFunction(env, exports, "upsampleBackward", entry<upsampleBackward>);
}

}  // namespace puzzle
