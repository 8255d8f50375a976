// Batch norm entries over (n, c, s) views; statistics and parameters are float32 device arrays of c values.
#include "cuda_check.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"

namespace puzzle {

namespace {

float* floats(const Args& args, size_t i) { return static_cast<float*>(args.pointer(i)); }

/**
 * batchNormForward(dtype, x, out, scale, bias, mean, var, n, c, s, epsilon, train, factor, savemean, saveinvvar).
 * Test mode (train = 0) reads mean/var and ignores factor, savemean and saveinvvar.
 */
napi_value batchNormForward(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  BatchNormArgs a{};
  a.x = args.pointer(1);
  a.out = args.pointer(2);
  a.scale = floats(args, 3);
  a.bias = floats(args, 4);
  a.mean = floats(args, 5);
  a.var = floats(args, 6);
  a.n = args.count(7);
  a.c = args.count(8);
  a.s = args.count(9);
  a.epsilon = static_cast<float>(args.number(10));
  const bool train = args.flag(11);
  if (train) {
    a.factor = static_cast<float>(args.number(12));
    a.savemean = floats(args, 13);
    a.saveinvvar = floats(args, 14);
    checkCuda(launchBatchNormTrain(dtype, a), "batch norm kernel");
  } else {
    checkCuda(launchBatchNormTest(dtype, a), "batch norm kernel");
  }
  return undefinedValue(args.env());
}

/** batchNormBackward(dtype, x, grad, scale, savemean, saveinvvar, ingrad, scalegrad, biasgrad, n, c, s). */
napi_value batchNormBackward(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  BatchNormGradArgs a{};
  a.x = args.pointer(1);
  a.grad = args.pointer(2);
  a.scale = floats(args, 3);
  a.savemean = floats(args, 4);
  a.saveinvvar = floats(args, 5);
  a.ingrad = args.pointer(6);
  a.scalegrad = floats(args, 7);
  a.biasgrad = floats(args, 8);
  a.n = args.count(9);
  a.c = args.count(10);
  a.s = args.count(11);
  checkCuda(launchBatchNormBackward(dtype, a), "batch norm backward kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnNormEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "batchNormForward", entry<batchNormForward>);
  defineFunction(env, exports, "batchNormBackward", entry<batchNormBackward>);
}

}  // namespace puzzle
