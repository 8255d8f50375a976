// Pooling entries: poolForward(mode, dtype, x, y, shape) and poolBackward(mode, dtype, x, grad, dx, shape).
#include <string>

#include "cuda_check.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int poolMode(const Args& args, size_t i) {
  const int mode = args.code(i);
  if (mode >= kPoolModeCount) fail("ERR_PUZZLE_ARGS", "unknown pool mode code " + std::to_string(mode));
  return mode;
}

napi_value poolForward(const Args& args) {
  const int mode = poolMode(args, 0);
  const int dtype = dnnFloatDtype(args, 1);
  checkCuda(launchPoolForward(mode, dtype, args.pointer(2), args.pointer(3), poolShapeArg(args, 4)), "pool kernel");
  return undefinedValue(args.env());
}

napi_value poolBackward(const Args& args) {
  const int mode = poolMode(args, 0);
  const int dtype = dnnFloatDtype(args, 1);
  checkCuda(launchPoolBackward(mode, dtype, args.pointer(2), args.pointer(3), args.pointer(4), poolShapeArg(args, 5)),
            "pool backward kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnPoolEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "poolForward", entry<poolForward>);
  defineFunction(env, exports, "poolBackward", entry<poolBackward>);
}

}  // namespace puzzle
