// Reductions and matrix-vector ops: reduce, sumOnMatrix, addVecToMat, argmax.
#include "cuda_check.h"
#include "device_state.h"
#include "entries.h"
#include "kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int floatDtype(const Args& args, size_t i) {
  const int dtype = args.code(i);
  if (dtype != kFloat32 && dtype != kFloat16) fail("ERR_PUZZLE_ARGS", "needs a float32 or float16 array");
  return dtype;
}

/** reduce(kind, dtype, x, y, n) → number; y is read by dot only. The one host read of the result synchronises. */
napi_value reduce(const Args& args) {
  const DeviceState& s = readyDevice("reduce");
  const int kind = args.code(0);
  if (kind >= kReduceCount) fail("ERR_PUZZLE_ARGS", "unknown reduction " + std::to_string(kind));
  const int dtype = floatDtype(args, 1);
  double* result = s.reduceScratch + kReducePartials;
  checkCuda(launchReduce(kind, dtype, args.pointer(2), args.pointer(3), args.count(4), s.reduceScratch, result),
            "reduction kernel");
  checkCuda(cudaMemcpyAsync(s.hostResult, result, sizeof(double), cudaMemcpyDeviceToHost, nullptr), "cudaMemcpyAsync");
  checkCuda(cudaStreamSynchronize(nullptr), "reading the reduction result");
  return numberValue(args.env(), *s.hostResult);
}

/** sumOnMatrix(dtype, a, out, rows, cols, alongCols, alpha, beta). */
napi_value sumOnMatrix(const Args& args) {
  const int dtype = floatDtype(args, 0);
  checkCuda(launchSumOnMatrix(dtype, args.pointer(1), args.pointer(2), args.count(3), args.count(4), args.flag(5),
                              static_cast<float>(args.number(6)), static_cast<float>(args.number(7))),
            "sumOnMatrix kernel");
  return undefinedValue(args.env());
}

/** addVecToMat(dtype, vec, mat, out, axis, batch, n, m, vecLen). */
napi_value addVecToMat(const Args& args) {
  const int dtype = floatDtype(args, 0);
  const int axis = args.code(4);
  if (axis > 1) fail("ERR_PUZZLE_ARGS", "axis must be 0 or 1");
  checkCuda(launchAddVecToMat(dtype, args.pointer(1), args.pointer(2), args.pointer(3), axis, args.count(5),
                              args.count(6), args.count(7), args.count(8)),
            "addVecToMat kernel");
  return undefinedValue(args.env());
}

/** argmax(dtype, x, out, outer, len, inner). */
napi_value argmax(const Args& args) {
  const int dtype = floatDtype(args, 0);
  checkCuda(launchArgmax(dtype, args.pointer(1), static_cast<int32_t*>(args.pointer(2)), args.count(3), args.count(4),
                         args.count(5)),
            "argmax kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerReductionEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "reduce", entry<reduce>);
  defineFunction(env, exports, "sumOnMatrix", entry<sumOnMatrix>);
  defineFunction(env, exports, "addVecToMat", entry<addVecToMat>);
  defineFunction(env, exports, "argmax", entry<argmax>);
}

}  // namespace puzzle
