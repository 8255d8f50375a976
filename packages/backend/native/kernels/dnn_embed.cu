// Embedding lookup and the scatter-add of its weight gradient. Indices outside [0, vocab) (−1 marks padding) give a
// zero row and are skipped by the scatter, so a bad index can never address memory outside the table. The scatter
// uses float32 atomics: repeated indices accumulate in an unspecified order (PuzzleLib's kernel does the same).
#include <type_traits>

#include "../dnn_kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

template <typename T>
__global__ void embedKernel(const int32_t* indices, const T* table, T* out, int64_t total, int64_t vocab,
                            int64_t width) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const int64_t row = indices[i / width];
    store(out, i, row >= 0 && row < vocab ? load(table, row * width + i % width) : 0.f);
  }
}

template <typename T>
__global__ void embedScatterKernel(const int32_t* indices, const T* grad, float* target, int64_t total, int64_t vocab,
                                   int64_t width, float factor) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const int64_t row = indices[i / width];
    if (row >= 0 && row < vocab) atomicAdd(target + row * width + i % width, factor * load(grad, i));
  }
}

}  // namespace

cudaError_t launchEmbed(int dtype, const int32_t* indices, const void* table, void* out, int64_t count, int64_t vocab,
                        int64_t width) {
  const int64_t total = count * width;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, embedKernel<T>)(indices, static_cast<const T*>(table), static_cast<T*>(out), total,
                                                 vocab, width);
    return cudaGetLastError();
  });
}

cudaError_t launchEmbedScatter(int dtype, const int32_t* indices, const void* grad, float* target, int64_t count,
                               int64_t vocab, int64_t width, float factor) {
  const int64_t total = count * width;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, embedScatterKernel<T>)(indices, static_cast<const T*>(grad), target, total, vocab,
                                                        width, factor);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
