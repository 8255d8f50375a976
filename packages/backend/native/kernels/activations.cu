// Activation kernels and their derivatives (spec §1.9). Backward kernels take the forward OUTPUT y, except gelu,
// which takes the forward input and uses the true derivative.
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

struct Sigmoid {
  __device__ float forward(float x, float, float) const { return 1.f / (1.f + expf(-x)); }
  __device__ float backward(float g, float y, float, float) const { return g * y * (1.f - y); }
};

struct Tanh {
  __device__ float forward(float x, float, float) const { return tanhf(x); }
  __device__ float backward(float g, float y, float, float) const { return g * (1.f - y * y); }
};

struct Relu {
  // A select rather than x·[x>0], so that relu(-inf) is 0 and not NaN.
  __device__ float forward(float x, float, float) const { return x > 0.f ? x : 0.f; }
  __device__ float backward(float g, float y, float, float) const { return y > 0.f ? g : 0.f; }
};

struct LeakyRelu {
  __device__ float forward(float x, float a, float) const { return x > 0.f ? x : a * x; }
  __device__ float backward(float g, float y, float a, float) const { return y > 0.f ? g : a * g; }
};

struct Elu {
  __device__ float forward(float x, float a, float) const { return x > 0.f ? x : a * expm1f(x); }
  __device__ float backward(float g, float y, float a, float) const { return y > 0.f ? g : g * (y + a); }
};

struct SoftPlus {
  // log(1 + e^x) written so that neither branch overflows.
  __device__ float forward(float x, float, float) const {
    return x > 0.f ? x + log1pf(expf(-x)) : log1pf(expf(x));
  }
  __device__ float backward(float g, float y, float, float) const { return g * (1.f - expf(-y)); }
};

struct Clip {
  __device__ float forward(float x, float a, float b) const { return fminf(b, fmaxf(a, x)); }
  __device__ float backward(float g, float y, float a, float b) const { return (y > a && y < b) ? g : 0.f; }
};

struct Gelu {
  __device__ float forward(float x, float, float) const { return 0.5f * x * (1.f + erff(x * kInvSqrt2)); }
  // d/dx [x·Φ(x)] = Φ(x) + x·φ(x); here `x` is the forward input.
  __device__ float backward(float g, float x, float, float) const {
    float cdf = 0.5f * (1.f + erff(x * kInvSqrt2));
    float pdf = kInvSqrt2Pi * expf(-0.5f * x * x);
    return g * (cdf + x * pdf);
  }
};

template <typename T, typename F>
__global__ void forwardKernel(T* out, const T* x, int64_t n, float a, float b) {
  F f;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) store(out, i, f.forward(load(x, i), a, b));
}

template <typename T, typename F>
__global__ void backwardKernel(T* out, const T* grad, const T* y, int64_t n, float a, float b) {
  F f;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) store(out, i, f.backward(load(grad, i), load(y, i), a, b));
}

template <typename F>
cudaError_t launch(bool backward, int dtype, void* out, const void* grad, const void* x, int64_t n, float a, float b) {
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    if (backward) {
      PUZZLE_LAUNCH(blocksFor(n), kBlock, backwardKernel<T, F>)(static_cast<T*>(out), static_cast<const T*>(grad),
                                                    static_cast<const T*>(x), n, a, b);
    } else {
      PUZZLE_LAUNCH(blocksFor(n), kBlock, forwardKernel<T, F>)(static_cast<T*>(out), static_cast<const T*>(x), n, a, b);
    }
    return cudaGetLastError();
  });
}

cudaError_t dispatch(int fn, bool backward, int dtype, void* out, const void* grad, const void* x, int64_t n, float a,
                     float b) {
  if (n == 0) return cudaSuccess;
  switch (fn) {
    case kSigmoid: return launch<Sigmoid>(backward, dtype, out, grad, x, n, a, b);
    case kTanh: return launch<Tanh>(backward, dtype, out, grad, x, n, a, b);
    case kRelu: return launch<Relu>(backward, dtype, out, grad, x, n, a, b);
    case kLeakyRelu: return launch<LeakyRelu>(backward, dtype, out, grad, x, n, a, b);
    case kElu: return launch<Elu>(backward, dtype, out, grad, x, n, a, b);
    case kSoftPlus: return launch<SoftPlus>(backward, dtype, out, grad, x, n, a, b);
    case kClip: return launch<Clip>(backward, dtype, out, grad, x, n, a, b);
    case kGelu: return launch<Gelu>(backward, dtype, out, grad, x, n, a, b);
    default: return cudaErrorInvalidValue;
  }
}

}  // namespace

cudaError_t launchActivation(int fn, int dtype, void* out, const void* x, int64_t n, float a, float b) {
  return dispatch(fn, false, dtype, out, nullptr, x, n, a, b);
}

cudaError_t launchActivationGrad(int fn, int dtype, void* out, const void* grad, const void* y, int64_t n, float a,
                                 float b) {
  return dispatch(fn, true, dtype, out, grad, y, n, a, b);
}

}  // namespace puzzle
