// Elementwise launches: activations, arithmetic, optimizer updates, random fills and non-finite counts. These are the
// hot path of a training step, so each reads plain numbers and launches one kernel; launch errors are checked, nothing
// synchronises.
#include "cuda_check.h"
#include "entries.h"
#include "kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int checkedCode(const Args& args, size_t i, int limit, const char* what) {
  const int code = args.code(i);
  if (code >= limit) fail("ERR_PUZZLE_ARGS", std::string("unknown ") + what + " code " + std::to_string(code));
  return code;
}

int floatDtype(const Args& args, size_t i) {
  const int dtype = args.code(i);
  if (dtype != kFloat32 && dtype != kFloat16) fail("ERR_PUZZLE_ARGS", "needs float32 or float16 arrays");
  return dtype;
}

float scalar(const Args& args, size_t i) { return static_cast<float>(args.number(i)); }

/** activation(fn, dtype, out, x, n, a, b). */
napi_value activation(const Args& args) {
  const int fn = checkedCode(args, 0, kActivationCount, "activation");
  checkCuda(launchActivation(fn, floatDtype(args, 1), args.pointer(2), args.pointer(3), args.count(4), scalar(args, 5),
                             scalar(args, 6)),
            "activation kernel");
  return undefinedValue(args.env());
}

/** activationGrad(fn, dtype, out, grad, y, n, a, b). */
napi_value activationGrad(const Args& args) {
  const int fn = checkedCode(args, 0, kActivationCount, "activation");
  checkCuda(launchActivationGrad(fn, floatDtype(args, 1), args.pointer(2), args.pointer(3), args.pointer(4),
                                 args.count(5), scalar(args, 6), scalar(args, 7)),
            "activation derivative kernel");
  return undefinedValue(args.env());
}

/** arithmetic(kind, dtype, out, x, y, n, a, b, mapsize). */
napi_value arithmetic(const Args& args) {
  const int kind = checkedCode(args, 0, kArithmeticCount, "arithmetic");
  const ArithmeticArgs launch{args.pointer(2), args.pointer(3), args.pointer(4), args.count(5),
                              scalar(args, 6),  scalar(args, 7), args.count(8)};
  checkCuda(launchArithmetic(kind, floatDtype(args, 1), launch), "elementwise kernel");
  return undefinedValue(args.env());
}

/** optimizer(kind, dtype, n, param, grad, s0, s1, s2, h0, h1, h2, h3). */
napi_value optimizer(const Args& args) {
  const int kind = checkedCode(args, 0, kOptimizerCount, "optimizer");
  OptimizerArgs launch{};
  launch.n = args.count(2);
  launch.param = args.pointer(3);
  launch.grad = args.pointer(4);
  for (int i = 0; i < 3; i++) launch.state[i] = args.pointer(5 + i);
  for (int i = 0; i < 4; i++) launch.hyper[i] = scalar(args, 8 + i);
  checkCuda(launchOptimizer(kind, floatDtype(args, 1), launch), "optimizer kernel");
  return undefinedValue(args.env());
}

/** fillRandom(dist, out, n, a, b, seed). */
napi_value fillRandom(const Args& args) {
  const int dist = checkedCode(args, 0, kRandomCount, "distribution");
  checkCuda(launchFillRandom(dist, static_cast<float*>(args.pointer(1)), args.count(2), scalar(args, 3),
                             scalar(args, 4), static_cast<uint64_t>(args.count(5))),
            "random fill kernel");
  return undefinedValue(args.env());
}

/** countNonFinite(dtype, x, n, count): count[0] += NaN and ±Inf values of x (anomaly detection). */
napi_value countNonFinite(const Args& args) {
  checkCuda(launchCountNonFinite(floatDtype(args, 0), args.pointer(1), args.count(2),
                                 static_cast<int32_t*>(args.pointer(3))),
            "non-finite count kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerElementwiseEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "activation", entry<activation>);
  defineFunction(env, exports, "activationGrad", entry<activationGrad>);
  defineFunction(env, exports, "arithmetic", entry<arithmetic>);
  defineFunction(env, exports, "optimizer", entry<optimizer>);
  defineFunction(env, exports, "fillRandom", entry<fillRandom>);
  defineFunction(env, exports, "countNonFinite", entry<countNonFinite>);
}

}  // namespace puzzle
