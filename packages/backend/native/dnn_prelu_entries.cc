// PRelu entries over (n, c, s) views; `shared` means one slope for every channel.
#include "cuda_check.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"

namespace puzzle {

namespace {

/** prelu(dtype, x, slopes, out, n, c, s, shared). */
napi_value prelu(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchPrelu(dtype, args.pointer(1), args.pointer(2), args.pointer(3), args.count(4), args.count(5),
                        args.count(6), args.flag(7)),
            "prelu kernel");
  return undefinedValue(args.env());
}

/** preluBackwardData(dtype, grad, slopes, x, out, n, c, s, shared). */
napi_value preluBackwardData(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchPreluBackwardData(dtype, args.pointer(1), args.pointer(2), args.pointer(3), args.pointer(4),
                                    args.count(5), args.count(6), args.count(7), args.flag(8)),
            "prelu backward kernel");
  return undefinedValue(args.env());
}

/**
 * preluBackwardParams(dtype, x, grad, out, n, c, s, shared, alpha, beta): out = alpha·Σ g·x·[x ≤ 0] + beta·out per
 * channel; shared sums every channel into out[0] by viewing the data as (n·c, 1, s).
 */
napi_value preluBackwardParams(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  int64_t n = args.count(4);
  int64_t c = args.count(5);
  const int64_t s = args.count(6);
  if (args.flag(7)) {
    n *= c;
    c = 1;
  }
  checkCuda(launchNegativePartSums(dtype, args.pointer(1), args.pointer(2), args.pointer(3), n, c, s,
                                   static_cast<float>(args.number(8)), static_cast<float>(args.number(9))),
            "prelu slope gradient kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnPreluEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "prelu", entry<prelu>);
  defineFunction(env, exports, "preluBackwardData", entry<preluBackwardData>);
  defineFunction(env, exports, "preluBackwardParams", entry<preluBackwardParams>);
}

}  // namespace puzzle
