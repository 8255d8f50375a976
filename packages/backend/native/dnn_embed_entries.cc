// Embedding entries: embed(dtype, indices, table, out, count, vocab, width) and
// embedBackward(dtype, indices, grad, wgrad, count, vocab, width, alpha, beta):
// wgrad = alpha·(scatter-add of the grad rows) + beta·wgrad, beta = 0 ignoring wgrad's contents.
#include "cuda_check.h"
#include "device_temp.h"
#include "dnn_entries.h"
#include "dnn_geometry_args.h"
#include "dnn_kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

const int32_t* indicesArg(const Args& args, size_t i) { return static_cast<const int32_t*>(args.pointer(i)); }

napi_value embed(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  checkCuda(launchEmbed(dtype, indicesArg(args, 1), args.pointer(2), args.pointer(3), args.count(4), args.count(5),
                        args.count(6)),
            "embed kernel");
  return undefinedValue(args.env());
}

napi_value embedBackward(const Args& args) {
  const int dtype = dnnFloatDtype(args, 0);
  const int32_t* indices = indicesArg(args, 1);
  const void* grad = args.pointer(2);
  void* wgrad = args.pointer(3);
  const int64_t count = args.count(4);
  const int64_t vocab = args.count(5);
  const int64_t width = args.count(6);
  const float alpha = static_cast<float>(args.number(7));
  const float beta = static_cast<float>(args.number(8));
  const int64_t tableSize = vocab * width;
  if (dtype == kFloat32) {
    // Scale the old gradient first (beta = 1, the facade's default, leaves it as it is), then add alpha·grad rows
    // straight into it.
    if (beta != 1.f) checkCuda(launchBlend(dtype, wgrad, nullptr, tableSize, 0.f, beta), "blend kernel");
    checkCuda(launchEmbedScatter(dtype, indices, grad, static_cast<float*>(wgrad), count, vocab, width, alpha),
              "embed scatter kernel");
    return undefinedValue(args.env());
  }
  // float16: the rows are summed in float32, then blended and rounded once.
  if (tableSize == 0) return undefinedValue(args.env());
  DeviceTemp sums(static_cast<size_t>(tableSize) * sizeof(float));
  checkCuda(cudaMemsetAsync(sums.get(), 0, static_cast<size_t>(tableSize) * sizeof(float), nullptr), "cudaMemsetAsync");
  float* target = static_cast<float*>(sums.get());
  checkCuda(launchEmbedScatter(dtype, indices, grad, target, count, vocab, width, 1.f), "embed scatter kernel");
  checkCuda(launchBlend(dtype, wgrad, target, tableSize, alpha, beta), "blend kernel");
  return undefinedValue(args.env());
}

}  // namespace

void registerDnnEmbedEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "embed", entry<embed>);
  defineFunction(env, exports, "embedBackward", entry<embedBackward>);
}

}  // namespace puzzle
