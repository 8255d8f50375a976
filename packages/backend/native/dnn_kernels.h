// Host launchers of the dnn kernels (kernels/dnn_*.cu). Like kernels.h: they enqueue on the legacy default stream,
// never synchronise, and return the launch status. Float arrays are float32 or float16 (dtype code), computed in
// fp32; batch-norm statistics and parameters are always float32. Nothing here reads or writes out of the arrays the
// shapes describe, and every kernel that writes an output writes every element of it (no atomics unless noted).
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

#include "dnn_geometry.h"

namespace puzzle {

// --- convolution (dnn_im2col.cu) ---
// The column matrix of `samples` samples starting at `first` is [sample][inMaps][kernel volume][output volume]:
// for group g, rows g·(inMaps/groups)·kvol ... are the (inMaps/groups·kvol) × outVolume matrix of that group.

/** col = the input patches of x for samples [first, first + samples), zeros where a patch reads padding. */
cudaError_t launchIm2col(int dtype, const void* x, void* col, const ConvShape& s, int64_t first, int64_t samples);
/** dx (those samples, overwritten) = for every input cell, the sum of the column entries that read it (a gather). */
cudaError_t launchCol2im(int dtype, const void* col, void* dx, const ConvShape& s, int64_t first, int64_t samples);

// --- per-channel helpers (dnn_channels.cu); x is viewed as (n, c, s) ---

/** out[n, c, s] += bias[c]. */
cudaError_t launchAddChannelBias(int dtype, void* out, const void* bias, int64_t n, int64_t c, int64_t s);
/** out[c] = alpha·Σ_{n,s} x[n, c, s] + beta·out[c]; beta = 0 ignores out's contents. */
cudaError_t launchChannelSums(int dtype, const void* x, void* out, int64_t n, int64_t c, int64_t s, float alpha,
                              float beta);
/** out[c] = alpha·Σ_{n,s} [x ≤ 0]·x·g + beta·out[c] (the PRelu slope gradient); beta = 0 ignores out. */
cudaError_t launchNegativePartSums(int dtype, const void* x, const void* g, void* out, int64_t n, int64_t c,
                                   int64_t s, float alpha, float beta);
/** out[i] = alpha·fresh[i] + beta·out[i] (fresh float32, or null for 0); beta = 0 ignores out's contents. */
cudaError_t launchBlend(int dtype, void* out, const float* fresh, int64_t count, float alpha, float beta);

// --- pooling (dnn_pool.cu); mode is a PoolModeCode ---

cudaError_t launchPoolForward(int mode, int dtype, const void* x, void* y, const PoolShape& s);
/** dx = the input gradient, as a gather over the windows containing each input cell. */
cudaError_t launchPoolBackward(int mode, int dtype, const void* x, const void* grad, void* dx, const PoolShape& s);

// --- softmax over c of (n, c, s) (dnn_softmax.cu) ---

cudaError_t launchSoftmax(int dtype, const void* x, void* y, int64_t n, int64_t c, int64_t s);
/** out = y·(g − Σ_c y·g). */
cudaError_t launchSoftmaxBackward(int dtype, const void* y, const void* grad, void* out, int64_t n, int64_t c,
                                  int64_t s);

// --- batch norm over (n, c, s), statistics per channel c over n and s (dnn_batchnorm.cu) ---

struct BatchNormArgs {
  const void* x;
  void* out;  // may be x itself
  const float* scale;
  const float* bias;
  float* mean;  // running mean: read in test mode, blended in train mode
  float* var;   // running variance, likewise
  float* savemean;    // train mode: batch mean
  float* saveinvvar;  // train mode: 1/√(biased batch variance + ε)
  int64_t n, c, s;
  float epsilon;
  float factor;  // train mode: weight of the batch statistics in the running ones
};
cudaError_t launchBatchNormTrain(int dtype, const BatchNormArgs& a);
cudaError_t launchBatchNormTest(int dtype, const BatchNormArgs& a);

struct BatchNormGradArgs {
  const void* x;
  const void* grad;
  const float* scale;
  const float* savemean;
  const float* saveinvvar;
  void* ingrad;
  float* scalegrad;
  float* biasgrad;
  int64_t n, c, s;
};
cudaError_t launchBatchNormBackward(int dtype, const BatchNormGradArgs& a);

// --- reflect padding (dnn_reflect_pad.cu) ---

cudaError_t launchReflectPad(int dtype, const void* x, void* out, const PadShape& s);
/** out (shaped like the unpadded input) = the adjoint: each cell sums every padded cell that copied it. */
cudaError_t launchReflectPadBackward(int dtype, const void* grad, void* out, const PadShape& s);

// --- upsampling (dnn_upsample.cu); mode is an UpsampleModeCode, s describes the small side ---

cudaError_t launchUpsample(int mode, int dtype, const void* x, void* out, const UpsampleShape& s);
cudaError_t launchUpsampleBackward(int mode, int dtype, const void* grad, void* out, const UpsampleShape& s);

// --- PRelu over (n, c, s) with c slopes, or one shared slope (dnn_prelu.cu) ---

cudaError_t launchPrelu(int dtype, const void* x, const void* slopes, void* out, int64_t n, int64_t c, int64_t s,
                        bool shared);
cudaError_t launchPreluBackwardData(int dtype, const void* grad, const void* slopes, const void* x, void* out,
                                    int64_t n, int64_t c, int64_t s, bool shared);

// --- embedding (dnn_embed.cu); rows outside [0, vocab), −1 included, are zero rows / skipped ---

cudaError_t launchEmbed(int dtype, const int32_t* indices, const void* table, void* out, int64_t count,
                        int64_t vocab, int64_t width);
/** target[idx, :] += factor·grad[i, :] for every index i in range, with float32 atomics (order-dependent sums). */
cudaError_t launchEmbedScatter(int dtype, const int32_t* indices, const void* grad, float* target, int64_t count,
                               int64_t vocab, int64_t width, float factor);

}  // namespace puzzle
