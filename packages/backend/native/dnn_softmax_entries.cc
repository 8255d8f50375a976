// Softmax entries over (n, c, s) views: softmax(dtype, x, y, n, c, s), softmaxBackward(dtype, y, grad, out, n, c, s).
#include "cuda_check.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"

namespace puzzle {

namespace {

napi_value softmax(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchSoftmax(dtype, args.pointer(1), args.pointer(2), args.count(3), args.count(4), args.count(5)),
            "softmax kernel");
  return undefinedValue(args.env());
}

napi_value softmaxBackward(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchSoftmaxBackward(dtype, args.pointer(1), args.pointer(2), args.pointer(3), args.count(4),
                                  args.count(5), args.count(6)),
            "softmax backward kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnSoftmaxEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "softmax", entry<softmax>);
  defineFunction(env, exports, "softmaxBackward", entry<softmaxBackward>);
}

}  // namespace puzzle
