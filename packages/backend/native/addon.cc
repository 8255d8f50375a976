// Entry point of puzzle_cuda.node. Loading it touches no GPU: the CUDA runtime is linked statically and loads the
// driver lazily, and cuBLAS is opened with dlopen, so the module loads on any machine and probe() says why CUDA
// cannot run there.
#include <initializer_list>
#include <utility>

#include "cost_entries.h"
#include "dnn_entries.h"
#include "entries.h"
#include "op_codes.h"

namespace puzzle {

// Bumped whenever the JS-facing signatures change, so the engine can reject a stale build.
constexpr int kInterfaceVersion = 6;

void defineFunction(napi_env env, napi_value exports, const char* name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, nullptr, &fn);
  setProperty(env, exports, name, fn);
}

namespace {

using CodeTable = std::initializer_list<std::pair<const char*, int>>;

napi_value table(napi_env env, CodeTable entries) {
  napi_value object;
  napi_create_object(env, &object);
  for (const auto& [name, code] : entries) setProperty(env, object, name, numberValue(env, code));
  return object;
}

/** The numeric codes the entry points take, for the engine to check against its own copy. */
napi_value codes(napi_env env) {
  napi_value object;
  napi_create_object(env, &object);
  setProperty(env, object, "dtype", table(env, {{"float32", kFloat32}, {"float16", kFloat16}, {"int32", kInt32}}));
  setProperty(env, object, "activation",
              table(env, {{"sigmoid", kSigmoid}, {"tanh", kTanh}, {"relu", kRelu}, {"leakyRelu", kLeakyRelu},
                          {"elu", kElu}, {"softPlus", kSoftPlus}, {"clip", kClip}, {"gelu", kGelu}}));
  setProperty(env, object, "arithmetic",
              table(env, {{"linear", kLinear}, {"add", kAdd}, {"mul", kMul}, {"abs", kAbs}, {"dropout", kDropout},
                          {"weightDecay", kWeightDecay}, {"l1Penalty", kL1Penalty}}));
  setProperty(env, object, "optimizer",
              table(env, {{"sgd", kSgd}, {"momentumSGD", kMomentumSgd}, {"nesterovSGD", kNesterovSgd},
                          {"rmsprop", kRmsprop}, {"rmspropGraves", kRmspropGraves}, {"adagrad", kAdagrad},
                          {"adadelta", kAdadelta}, {"adam", kAdam}, {"smorms3", kSmorms3}}));
  setProperty(env, object, "reduce", table(env, {{"sum", kSum}, {"min", kMin}, {"max", kMax}, {"l1", kL1}, {"dot", kDot}}));
  setProperty(env, object, "random", table(env, {{"uniform", kUniform}, {"normal", kNormal}}));
  setProperty(env, object, "pool",
              table(env, {{"max", kPoolMax}, {"avgWithPad", kPoolAvgWithPad}, {"avgNoPad", kPoolAvgNoPad}}));
  setProperty(env, object, "upsample", table(env, {{"nearest", kUpsampleNearest}, {"linear", kUpsampleLinear}}));
  setProperty(env, object, "cost",
              table(env, {{"abs", kCostAbs},
                          {"smoothL1", kCostSmoothL1},
                          {"bce", kCostBce},
                          {"hinge", kCostHinge},
                          {"mse", kCostMse}}));
  setProperty(env, object, "matmulPrecision",
              table(env, {{"highest", kMatmulHighest}, {"high", kMatmulHigh}, {"medium", kMatmulMedium}}));
  return object;
}

}  // namespace

}  // namespace puzzle

NAPI_MODULE_INIT() {
  using namespace puzzle;
  try {
    registerDeviceEntries(env, exports);
    registerMemoryEntries(env, exports);
    registerAsyncReadEntries(env, exports);
    registerBlasEntries(env, exports);
    registerReductionEntries(env, exports);
    registerElementwiseEntries(env, exports);
    registerDnnEntries(env, exports);
    registerCostEntries(env, exports);
#ifdef PUZZLE_CUDA_SIM
    registerSimulatorEntries(env, exports);
#endif
    setProperty(env, exports, "codes", codes(env));
    setProperty(env, exports, "interfaceVersion", numberValue(env, kInterfaceVersion));
  } catch (const NativeError& e) {
    napi_throw_error(env, e.code.c_str(), e.message.c_str());
    return nullptr;
  }
  return exports;
}
