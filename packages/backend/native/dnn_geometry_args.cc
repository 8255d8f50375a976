#include "dnn_geometry_args.h"

#include <cmath>
#include <string>

#include "op_codes.h"

namespace puzzle {

namespace {

constexpr double kMaxExactDouble = 9007199254740992.0;  // 2^53

/** Copies `count` non-negative integers out of the Float64Array argument `i` into `out`. */
void readIntegers(const Args& args, size_t i, int count, int64_t* out, const char* what) {
  const TypedArrayView view = args.typedArray(i);
  if (view.bytes != static_cast<size_t>(count) * sizeof(double)) {
    fail("ERR_PUZZLE_ARGS", std::string(what) + " needs " + std::to_string(count) + " numbers (a Float64Array), got " +
                                std::to_string(view.bytes) + " bytes");
  }
  const double* values = static_cast<const double*>(view.data);
  for (int k = 0; k < count; k++) {
    const double v = values[k];
    if (!(v >= 0 && v <= kMaxExactDouble) || std::floor(v) != v) {
      fail("ERR_PUZZLE_ARGS", std::string(what) + ": entry " + std::to_string(k) + " is not a non-negative integer");
    }
    out[k] = static_cast<int64_t>(v);
  }
}

/** Copies kDnnAxes values starting at `from`. */
void axes(const int64_t* from, int64_t* to) {
  for (int a = 0; a < kDnnAxes; a++) to[a] = from[a];
}

void requireAtLeast(const int64_t* dims, int64_t min, const char* what, const char* field) {
  for (int a = 0; a < kDnnAxes; a++) {
    if (dims[a] < min) {
      fail("ERR_PUZZLE_ARGS", std::string(what) + ": " + field + " must be at least " + std::to_string(min) + " on every axis");
    }
  }
}

}  // namespace

ConvShape convShapeArg(const Args& args, size_t i) {
  const char* what = "convolution geometry";
  int64_t v[kConvShapeNumbers];
  readIntegers(args, i, kConvShapeNumbers, v, what);
  ConvShape s;
  s.batch = v[0];
  s.inMaps = v[1];
  s.outMaps = v[2];
  s.groups = v[3];
  axes(v + 4, s.in);
  axes(v + 4 + kDnnAxes, s.out);
  axes(v + 4 + 2 * kDnnAxes, s.kernel);
  axes(v + 4 + 3 * kDnnAxes, s.stride);
  axes(v + 4 + 4 * kDnnAxes, s.pad);
  axes(v + 4 + 5 * kDnnAxes, s.dilation);
  if (s.groups < 1 || s.inMaps < 1 || s.outMaps < 1 || s.inMaps % s.groups != 0 || s.outMaps % s.groups != 0) {
    fail("ERR_PUZZLE_ARGS", std::string(what) + ": " + std::to_string(s.inMaps) + " input and " +
                                std::to_string(s.outMaps) + " output maps do not split into " +
                                std::to_string(s.groups) + " groups");
  }
  requireAtLeast(s.in, 1, what, "input size");
  requireAtLeast(s.out, 1, what, "output size");
  requireAtLeast(s.kernel, 1, what, "kernel size");
  requireAtLeast(s.stride, 1, what, "stride");
  requireAtLeast(s.dilation, 1, what, "dilation");
  return s;
}

PoolShape poolShapeArg(const Args& args, size_t i) {
  const char* what = "pooling geometry";
  int64_t v[kPoolShapeNumbers];
  readIntegers(args, i, kPoolShapeNumbers, v, what);
  PoolShape s;
  s.maps = v[0];
  axes(v + 1, s.in);
  axes(v + 1 + kDnnAxes, s.out);
  axes(v + 1 + 2 * kDnnAxes, s.size);
  axes(v + 1 + 3 * kDnnAxes, s.stride);
  axes(v + 1 + 4 * kDnnAxes, s.pad);
  requireAtLeast(s.in, 1, what, "input size");
  requireAtLeast(s.out, 1, what, "output size");
  requireAtLeast(s.size, 1, what, "window size");
  requireAtLeast(s.stride, 1, what, "stride");
  return s;
}

PadShape padShapeArg(const Args& args, size_t i) {
  const char* what = "reflect pad geometry";
  int64_t v[kPadShapeNumbers];
  readIntegers(args, i, kPadShapeNumbers, v, what);
  PadShape s;
  s.outer = v[0];
  axes(v + 1, s.in);
  axes(v + 1 + kDnnAxes, s.before);
  axes(v + 1 + 2 * kDnnAxes, s.after);
  requireAtLeast(s.in, 1, what, "input size");
  // A reflection of more cells than the axis has beyond its edge would read outside it.
  for (int a = 0; a < kDnnAxes; a++) {
    if (s.before[a] >= s.in[a] || s.after[a] >= s.in[a]) {
      fail("ERR_PUZZLE_ARGS", std::string(what) + ": pads must be smaller than the padded axis");
    }
  }
  return s;
}

UpsampleShape upsampleShapeArg(const Args& args, size_t i) {
  const char* what = "upsample geometry";
  int64_t v[kUpsampleShapeNumbers];
  readIntegers(args, i, kUpsampleShapeNumbers, v, what);
  UpsampleShape s;
  s.outer = v[0];
  axes(v + 1, s.in);
  axes(v + 1 + kDnnAxes, s.scale);
  requireAtLeast(s.in, 1, what, "input size");
  requireAtLeast(s.scale, 1, what, "scale");
  return s;
}

int dnnFloatDtype(const Args& args, size_t i) {
  const int dtype = args.code(i);
  if (dtype != kFloat32 && dtype != kFloat16) fail("ERR_PUZZLE_ARGS", "needs float32 or float16 arrays");
  return dtype;
}

}  // namespace puzzle
