// The cost kernels whose every element stands alone: mse, abs, smoothL1, bce, hinge, l1Hinge and svm. One thread owns an
// element: it reads the inputs at that element, writes the grad(s) there and adds the element's error to its own
// double sum; the block's sum becomes its partial (cost_common.cuh).
#include "cost_common.cuh"

namespace puzzle {
namespace cost {
namespace {

constexpr int64_t kElementsPerThread = 4;

/** PuzzleLib's sign: +1 where x > 0, else −1 (zero counts as negative). */
__device__ __forceinline__ float signNeg0(float x) { return x > 0.f ? 1.f : -1.f; }

/** tf.sign: −1, 0 or +1, NaN for NaN. */
__device__ __forceinline__ float signOf(float x) { return x > 0.f ? 1.f : (x < 0.f ? -1.f : x); }

/** log(1 + e^x) without overflow for large |x|. */
__device__ __forceinline__ float softplus(float x) { return fmaxf(x, 0.f) + log1pf(expf(-fabsf(x))); }

/** A cost of d = pred − target alone: `Rule` gives the error of d and its derivative (the grad's magnitude). */
template <typename Rule>
struct DistanceCost {
  const float* pred;
  const float* target;
  float* grad;
  float gradNorm;
  __device__ float operator()(int64_t i) const {
    const float d = pred[i] - target[i];
    grad[i] = -gradNorm * Rule::slope(d);
    return Rule::error(d);
  }
};

struct MseRule {
  static __device__ float slope(float d) { return d; }
  static __device__ float error(float d) { return 0.5f * d * d; }
};

struct AbsRule {
  static __device__ float slope(float d) { return signNeg0(d); }
  static __device__ float error(float d) { return fabsf(d); }
};

/** Quadratic inside |d| < 1, linear outside (Huber with delta 1). */
struct SmoothL1Rule {
  static __device__ float slope(float d) { return fabsf(d) < 1.f ? d : signOf(d); }
  static __device__ float error(float d) {
    const float ad = fabsf(d);
    return ad < 1.f ? 0.5f * d * d : ad - 0.5f;
  }
};

struct BceCost {
  const float* scores;
  const int32_t* labels;
  float* grad;
  float gradNorm;
  __device__ float operator()(int64_t i) const {
    const float s = scores[i];
    const bool positive = labels[i] == 1;
    const float sigmoid = 1.f / (1.f + expf(-s));
    grad[i] = gradNorm * ((positive ? 1.f : 0.f) - sigmoid);
    // −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s), finite where log σ would underflow.
    return softplus(positive ? -s : s);
  }
};

struct HingeCost {
  const float* scores;
  const int32_t* labels;
  float* grad;
  float gradNorm;
  __device__ float operator()(int64_t i) const {
    const float y = static_cast<float>(labels[i]);
    const float margin = scores[i] * y;
    grad[i] = margin < 1.f ? y * gradNorm : 0.f;
    return fmaxf(0.f, 1.f - margin);
  }
};

struct L1HingeCost {
  L1HingeArgs a;
  __device__ float operator()(int64_t i) const {
    const float d = a.x1[i] - a.x2[i];
    const float ad = fabsf(d);
    const float sign = signNeg0(d);
    const bool similar = a.labels[i / a.cols] == 1;
    // Similar pairs are pulled together; dissimilar ones pushed apart while closer than the margin 1.
    const float g = similar ? -sign * a.gradNorm : (ad < 1.f ? sign * a.gradNorm : 0.f);
    a.g1[i] = g;
    a.g2[i] = -g;
    return similar ? ad : fmaxf(0.f, 1.f - ad);
  }
};

/** One-vs-all hinge: cls = +1 on the sample's label class, −1 on every other class. */
template <bool kSquared>
struct SvmCost {
  ClassCostArgs a;
  __device__ float operator()(int64_t i) const {
    const int64_t perSample = a.classes * a.spatial;
    const int64_t sample = i / perSample;
    const int64_t inSample = i - sample * perSample;
    const int64_t cls = inSample / a.spatial;
    const int64_t position = inSample - cls * a.spatial;
    const float sign = a.labels[sample * a.spatial + position] == cls ? 1.f : -1.f;
    const float e = fmaxf(0.f, 1.f - a.scores[i] * sign);
    if (kSquared) {
      a.grad[i] = sign * e * (2.f * a.gradNorm);
      return e * e;
    }
    a.grad[i] = e > 0.f ? sign * a.gradNorm : 0.f;
    return e;
  }
};

template <typename Cost>
__global__ void elementwiseCostKernel(Cost cost, int64_t n, CostScratch scratch) {
  double error = 0.0;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) error += static_cast<double>(cost(i));
  storeBlockSum(error, scratch);
}

template <typename Cost>
cudaError_t launchElementwise(const Cost& cost, int64_t n, const CostScratch& scratch) {
  const int blocks = costBlocks(n, kBlock * kElementsPerThread);
  PUZZLE_LAUNCH(blocks, kBlock, elementwiseCostKernel<Cost>)(cost, n, scratch);
  return launchStatus();
}

}  // namespace
}  // namespace cost

cudaError_t launchElementwiseCost(int kind, const ElementwiseCostArgs& a, const CostScratch& scratch) {
  using namespace cost;
  const float* target = static_cast<const float*>(a.y);
  const int32_t* labels = static_cast<const int32_t*>(a.y);
  switch (kind) {
    case kCostMse: return launchElementwise(DistanceCost<MseRule>{a.x, target, a.grad, a.gradNorm}, a.n, scratch);
    case kCostAbs: return launchElementwise(DistanceCost<AbsRule>{a.x, target, a.grad, a.gradNorm}, a.n, scratch);
    case kCostSmoothL1:
      return launchElementwise(DistanceCost<SmoothL1Rule>{a.x, target, a.grad, a.gradNorm}, a.n, scratch);
    case kCostBce: return launchElementwise(BceCost{a.x, labels, a.grad, a.gradNorm}, a.n, scratch);
    case kCostHinge: return launchElementwise(HingeCost{a.x, labels, a.grad, a.gradNorm}, a.n, scratch);
    default: return cudaErrorInvalidValue;
  }
}

cudaError_t launchL1HingeCost(const L1HingeArgs& a, const CostScratch& scratch) {
  // cols = 0 leaves no element, so the label index i / cols is never formed.
  return cost::launchElementwise(cost::L1HingeCost{a}, a.rows * a.cols, scratch);
}

cudaError_t launchSvmCost(bool squared, const ClassCostArgs& a, const CostScratch& scratch) {
  // Any zero extent leaves no element, so the divisions by classes·spatial and spatial are never formed.
  const int64_t n = a.batch * a.classes * a.spatial;
  if (squared) return cost::launchElementwise(cost::SvmCost<true>{a}, n, scratch);
  return cost::launchElementwise(cost::SvmCost<false>{a}, n, scratch);
}

}  // namespace puzzle
