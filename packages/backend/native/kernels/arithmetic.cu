// Elementwise arithmetic of spec §1.9: out[i] = f(x[i], y[i], a, b). Inputs may alias out: each thread reads its
// element before writing it, so no __restrict__ here.
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

struct Linear {  // a·x + b
  __device__ float operator()(float x, float, float a, float b) const { return a * x + b; }
};
struct Add {  // alpha·x + beta·y
  __device__ float operator()(float x, float y, float a, float b) const { return a * x + b * y; }
};
struct Mul {
  __device__ float operator()(float x, float y, float, float) const { return x * y; }
};
struct Abs {
  __device__ float operator()(float x, float, float, float) const { return fabsf(x); }
};
struct WeightDecay {  // x = grad, y = param: L2 decay on the neg-grad
  __device__ float operator()(float x, float y, float a, float) const { return x - a * y; }
};
struct L1Penalty {  // x = grad, y = data; sign(0) counts as +1
  __device__ float operator()(float x, float y, float a, float) const { return x - a * (y >= 0.f ? 1.f : -1.f); }
};

template <typename T, typename F>
__global__ void mapKernel(T* out, const T* x, const T* y, int64_t n, float a, float b) {
  F f;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) store(out, i, f(load(x, i), load(y, i), a, b));
}

// Unary ops never read y: pass x in its place so the kernel needs no branch.
template <typename T, typename F>
__global__ void unaryKernel(T* out, const T* x, int64_t n, float a, float b) {
  F f;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) store(out, i, f(load(x, i), 0.f, a, b));
}

/** out = x·[u < p]/p with one float32 draw per `mapsize` consecutive elements. */
template <typename T>
__global__ void dropoutKernel(T* out, const T* x, const float* uniform, int64_t n, float p, int64_t mapsize) {
  for (int64_t i = firstIndex(); i < n; i += gridStride()) {
    float keep = uniform[i / mapsize] < p ? 1.f : 0.f;
    store(out, i, load(x, i) * keep / p);
  }
}

template <typename F>
cudaError_t launchMap(int dtype, const ArithmeticArgs& s, bool unary) {
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    T* out = static_cast<T*>(s.out);
    const T* x = static_cast<const T*>(s.x);
    if (unary) PUZZLE_LAUNCH(blocksFor(s.n), kBlock, unaryKernel<T, F>)(out, x, s.n, s.a, s.b);
    else PUZZLE_LAUNCH(blocksFor(s.n), kBlock, mapKernel<T, F>)(out, x, static_cast<const T*>(s.y), s.n, s.a, s.b);
    return cudaGetLastError();
  });
}

cudaError_t launchDropout(int dtype, const ArithmeticArgs& s) {
  if (s.mapsize < 1) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(s.n), kBlock, dropoutKernel<T>)(static_cast<T*>(s.out), static_cast<const T*>(s.x),
                                                 static_cast<const float*>(s.y), s.n, s.a, s.mapsize);
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t launchArithmetic(int kind, int dtype, const ArithmeticArgs& args) {
  if (args.n == 0) return cudaSuccess;
  switch (kind) {
    case kLinear: return launchMap<Linear>(dtype, args, true);
    case kAdd: return launchMap<Add>(dtype, args, false);
    case kMul: return launchMap<Mul>(dtype, args, false);
    case kAbs: return launchMap<Abs>(dtype, args, true);
    case kDropout: return launchDropout(dtype, args);
    case kWeightDecay: return launchMap<WeightDecay>(dtype, args, false);
    case kL1Penalty: return launchMap<L1Penalty>(dtype, args, false);
    default: return cudaErrorInvalidValue;
  }
}

}  // namespace puzzle
