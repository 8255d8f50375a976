// Numeric codes shared by the JS engine and the native addon. The addon exports them (see addon.cc) so the
// TypeScript side can verify at load time that it talks to an addon built from the same sources.
#pragma once

namespace puzzle {

enum DTypeCode { kFloat32 = 0, kFloat16 = 1, kInt32 = 2 };

enum ActivationCode { kSigmoid = 0, kTanh, kRelu, kLeakyRelu, kElu, kSoftPlus, kClip, kGelu, kActivationCount };

// Every arithmetic kernel is out[i] = f(x[i], y[i], a, b); dropout reads y at i / mapsize instead.
enum ArithmeticCode { kLinear = 0, kAdd, kMul, kAbs, kDropout, kWeightDecay, kL1Penalty, kArithmeticCount };

enum OptimizerCode {
  kSgd = 0,
  kMomentumSgd,
  kNesterovSgd,
  kRmsprop,
  kRmspropGraves,
  kAdagrad,
  kAdadelta,
  kAdam,
  kSmorms3,
  kOptimizerCount
};

enum ReduceCode { kSum = 0, kMin, kMax, kL1, kDot, kReduceCount };

enum RandomCode { kUniform = 0, kNormal, kRandomCount };

// Dnn: pooling modes and upsampling modes.
enum PoolModeCode { kPoolMax = 0, kPoolAvgWithPad, kPoolAvgNoPad, kPoolModeCount };

enum UpsampleModeCode { kUpsampleNearest = 0, kUpsampleLinear, kUpsampleModeCount };

// Costs: the element-wise cost kernels behind the costElementwise entry (kernels/cost_elementwise.cu).
enum ElementwiseCostCode { kCostAbs = 0, kCostSmoothL1, kCostBce, kCostHinge, kCostMse, kElementwiseCostCount };

// Gemm and convolutions: how float32 products may round their operands on tensor cores (fp32, TF32, bfloat16).
enum MatmulPrecisionCode { kMatmulHighest = 0, kMatmulHigh, kMatmulMedium, kMatmulPrecisionCount };

}  // namespace puzzle
