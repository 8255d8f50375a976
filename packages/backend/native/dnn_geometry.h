// Plain descriptions of the dnn problems, shared by the entries (host) and the kernels (passed by value).
// Every spatial op works on exactly kDnnAxes spatial axes: the engine pads 1-D and 2-D problems with leading axes
// of size 1 (kernel 1, stride 1, pad 0, dilation 1), which changes no index, so one kernel serves 1-D to 3-D.
#pragma once
#include <cstdint>

#ifdef __CUDACC__
#define PUZZLE_HOST_DEVICE __host__ __device__
#else
#define PUZZLE_HOST_DEVICE
#endif

namespace puzzle {

constexpr int kDnnAxes = 3;

PUZZLE_HOST_DEVICE inline int64_t volumeOf(const int64_t* dims) { return dims[0] * dims[1] * dims[2]; }

/**
 * A grouped convolution from `in` (N, inMaps, in...) to `out` (N, outMaps, out...) with weights
 * (outMaps, inMaps/groups, kernel...). Output cell o reads input cell o·stride − pad + k·dilation per axis; cells
 * outside the input read as zero. A transposed convolution is described by the convolution it transposes.
 */
struct ConvShape {
  int64_t batch;
  int64_t inMaps;
  int64_t outMaps;
  int64_t groups;
  int64_t in[kDnnAxes];
  int64_t out[kDnnAxes];
  int64_t kernel[kDnnAxes];
  int64_t stride[kDnnAxes];
  int64_t pad[kDnnAxes];
  int64_t dilation[kDnnAxes];
};
constexpr int kConvShapeNumbers = 4 + 6 * kDnnAxes;

/** Pooling of `maps` independent (N·C) maps: output cell o covers input cells [o·stride − pad, +size) per axis. */
struct PoolShape {
  int64_t maps;
  int64_t in[kDnnAxes];
  int64_t out[kDnnAxes];
  int64_t size[kDnnAxes];
  int64_t stride[kDnnAxes];
  int64_t pad[kDnnAxes];
};
constexpr int kPoolShapeNumbers = 1 + 5 * kDnnAxes;

/** Reflect padding of `outer` blocks of in[0]×in[1]×in[2] cells by (before, after) per axis. */
struct PadShape {
  int64_t outer;
  int64_t in[kDnnAxes];
  int64_t before[kDnnAxes];
  int64_t after[kDnnAxes];
};
constexpr int kPadShapeNumbers = 1 + 3 * kDnnAxes;

/** Upsampling of `outer` blocks of in[0]×in[1]×in[2] cells by integer factors: out = in·scale per axis. */
struct UpsampleShape {
  int64_t outer;
  int64_t in[kDnnAxes];
  int64_t scale[kDnnAxes];
};
constexpr int kUpsampleShapeNumbers = 1 + 2 * kDnnAxes;

}  // namespace puzzle
