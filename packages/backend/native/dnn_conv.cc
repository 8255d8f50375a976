// Convolution through im2col + cuBLAS: forward, data gradient (gemm + col2im gather) and weight gradient (im2col +
// gemm + a sum over the samples). Transposed convolutions reuse these with the roles swapped (cuda-dnn-conv.ts).
//
// Per sample n and group g, with K = inMaps/groups·kernel volume rows and P = output volume columns:
//   forward          y(n,g)  [outPerGroup × P] = W_g [outPerGroup × K] · col(n,g) [K × P]
//   backward data    dcol(n,g) [K × P]         = W_gᵀ · dy(n,g), then col2im
//   backward params  dW_g [outPerGroup × K]    = Σ_n dy(n,g) · col(n,g)ᵀ
// The column buffer holds a chunk of samples at a time: at most 256 MiB (env PUZZLE_CUDA_CONV_WORKSPACE, bytes, read
// once) unless one sample needs more.
// The weight gradient is a sum over the samples, yet a gemm can only accumulate one product into its output. One
// launch per sample would make a small layer cost a few microseconds per sample, so instead each sample's product
// goes to its own float32 slice of a workspace (a few strided-batched gemms per chunk), and one column-sum kernel
// folds the slices into the gradient in a fixed order: a constant number of launches per chunk, and no atomics, so
// the result is reproducible. The workspace shares the column budget, which may shrink the chunks of this pass only.
// A 1×1 convolution with stride 1 and no pad has col = x: the gemms then read x and write dx directly.
#include "dnn_conv.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "cuda_check.h"
#include "device_temp.h"
#include "dnn_gemm.h"
#include "dnn_kernels.h"
#include "kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int64_t columnBudget() {
  static const int64_t budget = [] {
    const char* env = std::getenv("PUZZLE_CUDA_CONV_WORKSPACE");
    const long long requested = env ? std::atoll(env) : 0;
    return requested > 0 ? static_cast<int64_t>(requested) : int64_t{256} << 20;
  }();
  return budget;
}

struct ConvPlan {
  ConvShape s;
  int dtype;
  int itemBytes;
  int64_t outPerGroup;
  int64_t rows;       // K: column rows of one group
  int64_t positions;  // P: output volume
  bool columnsAreInput;
  int64_t chunk;  // samples per column buffer

  int64_t columnElements(int64_t samples) const { return samples * s.groups * rows * positions; }
  int64_t weightElements() const { return s.outMaps * rows; }
};

bool isPointwise(const ConvShape& s) {
  for (int a = 0; a < kDnnAxes; a++) {
    if (s.kernel[a] != 1 || s.stride[a] != 1 || s.pad[a] != 0 || s.in[a] != s.out[a]) return false;
  }
  return true;
}

ConvPlan planOf(const ConvShape& s, int dtype) {
  ConvPlan p;
  p.s = s;
  p.dtype = dtype;
  p.itemBytes = dtype == kFloat16 ? 2 : 4;
  p.outPerGroup = s.outMaps / s.groups;
  p.rows = s.inMaps / s.groups * volumeOf(s.kernel);
  p.positions = volumeOf(s.out);
  p.columnsAreInput = isPointwise(s);
  const int64_t perSample = p.columnElements(1) * p.itemBytes;
  int64_t chunk = perSample > 0 ? columnBudget() / perSample : s.batch;
  if (chunk < 1) chunk = 1;
  p.chunk = chunk < s.batch ? chunk : s.batch;
  return p;
}

/** y(first + i, g) = W_g · col(i, g) for i < samples: batched over the longer of samples and groups. */
void multiplyForward(const DeviceState& st, const ConvPlan& p, const void* w, const void* col, void* y, int64_t first,
                     int64_t samples, int precision) {
  const ConvShape& s = p.s;
  const int item = p.itemBytes;
  BatchedGemm g;
  g.m = p.outPerGroup;
  g.n = p.positions;
  g.k = p.rows;
  if (samples >= s.groups) {
    for (int64_t group = 0; group < s.groups; group++) {
      g.a = advance(w, group * p.outPerGroup * p.rows, item);
      g.strideA = 0;
      g.b = advance(col, group * p.rows * p.positions, item);
      g.strideB = s.groups * p.rows * p.positions;
      g.c = advance(y, (first * s.outMaps + group * p.outPerGroup) * p.positions, item);
      g.strideC = s.outMaps * p.positions;
      g.batch = samples;
      runBatchedGemm(st, "convNd", p.dtype, false, precision, g);
    }
    return;
  }
  for (int64_t i = 0; i < samples; i++) {
    g.a = w;
    g.strideA = p.outPerGroup * p.rows;
    g.b = advance(col, i * s.groups * p.rows * p.positions, item);
    g.strideB = p.rows * p.positions;
    g.c = advance(y, (first + i) * s.outMaps * p.positions, item);
    g.strideC = p.outPerGroup * p.positions;
    g.batch = s.groups;
    runBatchedGemm(st, "convNd", p.dtype, false, precision, g);
  }
}

/** dcol(i, g) = W_gᵀ · dy(first + i, g) for i < samples. */
void multiplyBackwardData(const DeviceState& st, const ConvPlan& p, const void* w, const void* dy, void* dcol,
                          int64_t first, int64_t samples, int precision) {
  const ConvShape& s = p.s;
  const int item = p.itemBytes;
  BatchedGemm g;
  g.transA = true;
  g.m = p.rows;
  g.n = p.positions;
  g.k = p.outPerGroup;
  if (samples >= s.groups) {
    for (int64_t group = 0; group < s.groups; group++) {
      g.a = advance(w, group * p.outPerGroup * p.rows, item);
      g.strideA = 0;
      g.b = advance(dy, (first * s.outMaps + group * p.outPerGroup) * p.positions, item);
      g.strideB = s.outMaps * p.positions;
      g.c = advance(dcol, group * p.rows * p.positions, item);
      g.strideC = s.groups * p.rows * p.positions;
      g.batch = samples;
      runBatchedGemm(st, "convNdBackwardData", p.dtype, false, precision, g);
    }
    return;
  }
  for (int64_t i = 0; i < samples; i++) {
    g.a = w;
    g.strideA = p.outPerGroup * p.rows;
    g.b = advance(dy, (first + i) * s.outMaps * p.positions, item);
    g.strideB = p.outPerGroup * p.positions;
    g.c = advance(dcol, i * s.groups * p.rows * p.positions, item);
    g.strideC = p.rows * p.positions;
    g.batch = s.groups;
    runBatchedGemm(st, "convNdBackwardData", p.dtype, false, precision, g);
  }
}

/** Samples per weight-gradient chunk: the column chunk, shrunk so that the float32 partials fit the budget too. */
int64_t paramsChunkOf(const ConvPlan& p) {
  const int64_t columnChunk = p.columnsAreInput ? p.s.batch : p.chunk;
  const int64_t perSample = p.weightElements() * static_cast<int64_t>(sizeof(float));
  if (perSample == 0) return columnChunk;
  return std::min(columnChunk, std::max(columnBudget() / perSample, int64_t{1}));
}

/**
 * partial(i, g) [outPerGroup × K] = dy(first + i, g) · col(i, g)ᵀ for i < samples, float32 whatever the dtype.
 * partials is (samples, outMaps·K): each sample's slice is laid out like the weights.
 */
void multiplyBackwardParams(const DeviceState& st, const ConvPlan& p, const void* dy, const void* col, float* partials,
                            int64_t first, int64_t samples, int precision) {
  const ConvShape& s = p.s;
  const int item = p.itemBytes;
  BatchedGemm g;
  g.transB = true;
  g.m = p.outPerGroup;
  g.n = p.rows;
  g.k = p.positions;
  if (samples >= s.groups) {
    for (int64_t group = 0; group < s.groups; group++) {
      g.a = advance(dy, (first * s.outMaps + group * p.outPerGroup) * p.positions, item);
      g.strideA = s.outMaps * p.positions;
      g.b = advance(col, group * p.rows * p.positions, item);
      g.strideB = s.groups * p.rows * p.positions;
      g.c = partials + group * p.outPerGroup * p.rows;
      g.strideC = p.weightElements();
      g.batch = samples;
      runBatchedGemm(st, "convNdBackwardParams", p.dtype, true, precision, g);
    }
    return;
  }
  for (int64_t i = 0; i < samples; i++) {
    g.a = advance(dy, (first + i) * s.outMaps * p.positions, item);
    g.strideA = p.outPerGroup * p.positions;
    g.b = advance(col, i * s.groups * p.rows * p.positions, item);
    g.strideB = p.rows * p.positions;
    g.c = partials + i * p.weightElements();
    g.strideC = p.outPerGroup * p.rows;
    g.batch = s.groups;
    runBatchedGemm(st, "convNdBackwardParams", p.dtype, true, precision, g);
  }
}

/** Where the weight gradient accumulates (float32 whatever the dtype), and how the first chunk treats its contents. */
struct GradTarget {
  float* data;
  float alpha;
  float firstBeta;
};

/** target = alpha·Σ_i partial(i) + beta·target, with beta = firstBeta for the first chunk and 1 after it. */
void sumPartials(const ConvPlan& p, const float* partials, int64_t samples, const GradTarget& t, bool firstChunk) {
  const float beta = firstChunk ? t.firstBeta : 1.f;
  checkCuda(launchSumOnMatrix(kFloat32, partials, t.data, samples, p.weightElements(), true, t.alpha, beta),
            "weight gradient sum kernel");
}

/** The column buffer of a weight-gradient chunk, or null when the columns are x itself. */
std::unique_ptr<DeviceTemp> columnBufferFor(const ConvPlan& p, int64_t chunk) {
  if (p.columnsAreInput) return nullptr;
  return std::make_unique<DeviceTemp>(static_cast<size_t>(p.columnElements(chunk) * p.itemBytes));
}

/** The columns of samples [first, first + samples): x itself when there is no column buffer, else im2col into it. */
const void* columnsOf(const ConvPlan& p, const void* x, DeviceTemp* col, int64_t first, int64_t samples) {
  if (!col) return advance(x, first * p.columnElements(1), p.itemBytes);
  checkCuda(launchIm2col(p.dtype, x, col->get(), p.s, first, samples), "im2col kernel");
  return col->get();
}

/** target = alpha·Σ_n dy(n) · col(n)ᵀ + firstBeta·target over the whole batch, chunk by chunk. */
void accumulateWeightGradient(const DeviceState& st, const ConvPlan& p, const void* x, const void* dy,
                              const GradTarget& t, int precision) {
  const int64_t chunk = paramsChunkOf(p);
  DeviceTemp workspace(static_cast<size_t>(chunk * p.weightElements()) * sizeof(float));
  float* partials = static_cast<float*>(workspace.get());
  const std::unique_ptr<DeviceTemp> col = columnBufferFor(p, chunk);
  for (int64_t first = 0; first < p.s.batch; first += chunk) {
    const int64_t samples = std::min(chunk, p.s.batch - first);
    multiplyBackwardParams(st, p, dy, columnsOf(p, x, col.get(), first, samples), partials, first, samples, precision);
    sumPartials(p, partials, samples, t, first == 0);
  }
}

}  // namespace

void runConvForward(const DeviceState& st, int dtype, const void* x, const void* w, void* y, const ConvShape& s,
                    int precision) {
  const ConvPlan p = planOf(s, dtype);
  if (s.batch == 0) return;
  if (p.columnsAreInput) {
    multiplyForward(st, p, w, x, y, 0, s.batch, precision);
    return;
  }
  DeviceTemp col(static_cast<size_t>(p.columnElements(p.chunk) * p.itemBytes));
  for (int64_t first = 0; first < s.batch; first += p.chunk) {
    const int64_t samples = s.batch - first < p.chunk ? s.batch - first : p.chunk;
    checkCuda(launchIm2col(dtype, x, col.get(), s, first, samples), "im2col kernel");
    multiplyForward(st, p, w, col.get(), y, first, samples, precision);
  }
}

void runConvBackwardData(const DeviceState& st, int dtype, const void* dy, const void* w, void* dx,
                         const ConvShape& s, int precision) {
  const ConvPlan p = planOf(s, dtype);
  if (s.batch == 0) return;
  if (p.columnsAreInput) {
    multiplyBackwardData(st, p, w, dy, dx, 0, s.batch, precision);
    return;
  }
  DeviceTemp dcol(static_cast<size_t>(p.columnElements(p.chunk) * p.itemBytes));
  for (int64_t first = 0; first < s.batch; first += p.chunk) {
    const int64_t samples = s.batch - first < p.chunk ? s.batch - first : p.chunk;
    multiplyBackwardData(st, p, w, dy, dcol.get(), first, samples, precision);
    checkCuda(launchCol2im(dtype, dcol.get(), dx, s, first, samples), "col2im kernel");
  }
}

void runConvBackwardParams(const DeviceState& st, int dtype, const void* x, const void* dy, void* wgrad,
                           const ConvShape& s, float scale, float momentum, int precision) {
  const ConvPlan p = planOf(s, dtype);
  // An empty batch or output volume has no products to sum: only the momentum term remains.
  if (s.batch == 0 || p.positions == 0) {
    checkCuda(launchBlend(dtype, wgrad, nullptr, p.weightElements(), 0.f, momentum), "blend kernel");
    return;
  }
  // float16 sums the samples in a float32 buffer and rounds once at the end.
  const bool half = dtype == kFloat16;
  std::unique_ptr<DeviceTemp> sums;
  if (half) sums = std::make_unique<DeviceTemp>(static_cast<size_t>(p.weightElements()) * sizeof(float));
  const GradTarget target = half ? GradTarget{static_cast<float*>(sums->get()), 1.f, 0.f}
                                 : GradTarget{static_cast<float*>(wgrad), scale, momentum};
  accumulateWeightGradient(st, p, x, dy, target, precision);
  if (half) {
    checkCuda(launchBlend(dtype, wgrad, static_cast<const float*>(sums->get()), p.weightElements(), scale, momentum),
              "blend kernel");
  }
}

}  // namespace puzzle
