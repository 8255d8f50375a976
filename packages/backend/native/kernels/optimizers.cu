// The fused optimizer updates of spec §1.9: one launch updates the param and every state over the whole arrays.
// `g` is the neg-grad and every update adds. States and hyper-parameters arrive in the order of the rule's fields
// in engine.ts (OptimizerRule); adam's and smorms3's states are float32 whatever the param dtype.
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

#define PUZZLE_FOR_EACH(i, n) for (int64_t i = firstIndex(); i < (n); i += gridStride())

template <typename T>
__global__ void sgd(T* p, const T* g, int64_t n, float lr) {
  PUZZLE_FOR_EACH(i, n) store(p, i, load(p, i) + lr * load(g, i));
}

template <typename T>
__global__ void momentumSgd(T* p, const T* g, T* mom, int64_t n, float lr, float mu) {
  PUZZLE_FOR_EACH(i, n) {
    float m = mu * load(mom, i) + lr * load(g, i);
    store(mom, i, m);
    store(p, i, load(p, i) + m);
  }
}

template <typename T>
__global__ void nesterovSgd(T* p, const T* g, T* mom, int64_t n, float lr, float mu) {
  PUZZLE_FOR_EACH(i, n) {
    float old = load(mom, i);
    float gi = load(g, i);
    store(p, i, load(p, i) + mu * mu * old + (1.f + mu) * lr * gi);
    store(mom, i, mu * old + lr * gi);
  }
}

template <typename T>
__global__ void rmsprop(T* p, const T* g, T* msArr, int64_t n, float lr, float factor, float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float ms = factor * load(msArr, i) + (1.f - factor) * gi * gi;
    store(msArr, i, ms);
    store(p, i, load(p, i) + lr * gi / (sqrtf(ms) + eps));
  }
}

template <typename T>
__global__ void rmspropGraves(T* p, const T* g, T* mgArr, T* msArr, T* deltaArr, int64_t n, float lr, float alpha,
                              float mu, float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float mg = alpha * load(mgArr, i) + (1.f - alpha) * gi;
    float ms = alpha * load(msArr, i) + (1.f - alpha) * gi * gi;
    // Graves' variant: epsilon sits inside the square root.
    float delta = mu * load(deltaArr, i) + lr * gi / sqrtf(ms - mg * mg + eps);
    store(mgArr, i, mg);
    store(msArr, i, ms);
    store(deltaArr, i, delta);
    store(p, i, load(p, i) + delta);
  }
}

template <typename T>
__global__ void adagrad(T* p, const T* g, T* hArr, int64_t n, float lr, float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float h = load(hArr, i) + gi * gi;
    store(hArr, i, h);
    store(p, i, load(p, i) + lr * gi / (sqrtf(h) + eps));
  }
}

template <typename T>
__global__ void adadelta(T* p, const T* g, T* msgArr, T* msdxArr, int64_t n, float rho, float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float keep = 1.f - rho;
    float msg = load(msgArr, i);
    msg += keep * (gi * gi - msg);
    float msdx = load(msdxArr, i);
    float dx = sqrtf((msdx + eps) / (msg + eps)) * gi;
    msdx += keep * (dx * dx - msdx);
    store(msgArr, i, msg);
    store(msdxArr, i, msdx);
    store(p, i, load(p, i) + dx);
  }
}

template <typename T>
__global__ void adam(T* p, const T* g, float* mgArr, float* msArr, int64_t n, float lr, float fix1, float fix2,
                     float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float mg = mgArr[i];
    float ms = msArr[i];
    mg += fix1 * (gi - mg);
    ms += fix2 * (gi * gi - ms);
    mgArr[i] = mg;
    msArr[i] = ms;
    store(p, i, load(p, i) + lr * mg / (sqrtf(ms) + eps));
  }
}

template <typename T>
__global__ void smorms3(T* p, const T* g, float* memArr, float* mgArr, float* msArr, int64_t n, float lr, float eps) {
  PUZZLE_FOR_EACH(i, n) {
    float gi = load(g, i);
    float mem = memArr[i];
    float r = 1.f / (mem + 1.f);
    float mg = (1.f - r) * mgArr[i] + r * gi;
    float ms = (1.f - r) * msArr[i] + r * gi * gi;
    float x = mg * mg / (ms + eps);
    memArr[i] = 1.f + mem * (1.f - x);
    mgArr[i] = mg;
    msArr[i] = ms;
    store(p, i, load(p, i) + gi * fminf(lr, x) / (sqrtf(ms) + eps));
  }
}

#undef PUZZLE_FOR_EACH

template <typename T>
cudaError_t launchTyped(int kind, const OptimizerArgs& a) {
  T* p = static_cast<T*>(a.param);
  const T* g = static_cast<const T*>(a.grad);
  T* s0 = static_cast<T*>(a.state[0]);
  T* s1 = static_cast<T*>(a.state[1]);
  T* s2 = static_cast<T*>(a.state[2]);
  float* f0 = static_cast<float*>(a.state[0]);
  float* f1 = static_cast<float*>(a.state[1]);
  float* f2 = static_cast<float*>(a.state[2]);
  const float* h = a.hyper;
  const unsigned blocks = blocksFor(a.n);
  switch (kind) {
    case kSgd: PUZZLE_LAUNCH(blocks, kBlock, sgd<T>)(p, g, a.n, h[0]); break;
    case kMomentumSgd: PUZZLE_LAUNCH(blocks, kBlock, momentumSgd<T>)(p, g, s0, a.n, h[0], h[1]); break;
    case kNesterovSgd: PUZZLE_LAUNCH(blocks, kBlock, nesterovSgd<T>)(p, g, s0, a.n, h[0], h[1]); break;
    case kRmsprop: PUZZLE_LAUNCH(blocks, kBlock, rmsprop<T>)(p, g, s0, a.n, h[0], h[1], h[2]); break;
    case kRmspropGraves: PUZZLE_LAUNCH(blocks, kBlock, rmspropGraves<T>)(p, g, s0, s1, s2, a.n, h[0], h[1], h[2], h[3]); break;
    case kAdagrad: PUZZLE_LAUNCH(blocks, kBlock, adagrad<T>)(p, g, s0, a.n, h[0], h[1]); break;
    case kAdadelta: PUZZLE_LAUNCH(blocks, kBlock, adadelta<T>)(p, g, s0, s1, a.n, h[0], h[1]); break;
    case kAdam: PUZZLE_LAUNCH(blocks, kBlock, adam<T>)(p, g, f0, f1, a.n, h[0], h[1], h[2], h[3]); break;
    case kSmorms3: PUZZLE_LAUNCH(blocks, kBlock, smorms3<T>)(p, g, f0, f1, f2, a.n, h[0], h[1]); break;
    default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

}  // namespace

cudaError_t launchOptimizer(int kind, int dtype, const OptimizerArgs& args) {
  if (args.n == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) { return launchTyped<std::remove_pointer_t<decltype(typed)>>(kind, args); });
}

}  // namespace puzzle
