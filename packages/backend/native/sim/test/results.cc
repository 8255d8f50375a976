// Correct kernels give correct results: a shared-memory reduction, every shuffle and vote against the values CUDA's
// documentation defines (computed here on the host), atomics, 2-D and 3-D launch coordinates, dynamic shared memory
// and its 48 KiB limit with the cudaFuncSetAttribute opt-in.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkCuda;
using selftest::DeviceArray;
using selftest::fail;

namespace {

constexpr unsigned kFullMask = 0xffffffffu;

// ---- block reduction ----

constexpr int kReduceBlock = 256;

__global__ void blockSumKernel(const int* in, int* out, int n) {
  __shared__ int partial[kReduceBlock];
  const unsigned t = threadIdx.x;
  const int i = static_cast<int>(blockIdx.x * blockDim.x + t);
  partial[t] = i < n ? in[i] : 0;
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
    if (t < stride) partial[t] += partial[t + stride];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = partial[0];
}

SELFTEST_CASE(blockReduction, "block reduction through shared memory and __syncthreads") {
  constexpr int n = 1000;
  constexpr int blocks = (n + kReduceBlock - 1) / kReduceBlock;
  std::vector<int> values(n);
  for (int i = 0; i < n; i++) values[i] = (i * 37) % 101 - 50;
  DeviceArray<int> in(values);
  DeviceArray<int> sums(blocks);
  PUZZLE_LAUNCH(blocks, kReduceBlock, blockSumKernel)(in.get(), sums.get(), n);
  checkCuda(cudaGetLastError(), "blockSumKernel");
  const std::vector<int> got = sums.download();
  for (int b = 0; b < blocks; b++) {
    int expected = 0;
    for (int i = b * kReduceBlock; i < n && i < (b + 1) * kReduceBlock; i++) expected += values[i];
    check(got[b] == expected, cat("block ", b, " summed to ", got[b], ", expected ", expected));
  }
}

__global__ void broadcastKernel(int* out) {
  __shared__ int value;
  if (threadIdx.x == 0) value = 42 + static_cast<int>(blockIdx.x);
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = value;
  // A second round: the compiler must not keep the first value in a register across the barriers.
  __syncthreads();
  if (threadIdx.x == blockDim.x - 1) value = -value;
  __syncthreads();
  out[(gridDim.x + blockIdx.x) * blockDim.x + threadIdx.x] = value;
}

SELFTEST_CASE(sharedBroadcast, "a __shared__ scalar written by one thread is every thread's after __syncthreads") {
  constexpr unsigned blocks = 3;
  constexpr unsigned threads = 40;
  DeviceArray<int> out(2 * blocks * threads);
  for (unsigned long long seed : {0ull, 9ull}) {
    const selftest::SeedScope scope(seed);
    PUZZLE_LAUNCH(blocks, threads, broadcastKernel)(out.get());
    checkCuda(cudaGetLastError(), cat("broadcastKernel under seed ", seed));
    const std::vector<int> got = out.download();
    for (unsigned b = 0; b < blocks; b++) {
      for (unsigned t = 0; t < threads; t++) {
        const int first = got[b * threads + t];
        const int second = got[(blocks + b) * threads + t];
        check(first == 42 + static_cast<int>(b) && second == -first,
              cat("seed ", seed, ": block ", b, " thread ", t, " read ", first, " then ", second, ", expected ", 42 + b, " then ", -(42 + static_cast<int>(b))));
      }
    }
  }
}

// ---- shuffles ----

enum ShuffleKind { kIdx, kUp, kDown, kXor };

__global__ void shuffleKernel(const int* in, int* out, int kind, int arg, int width) {
  const unsigned t = threadIdx.x;
  const int v = in[t];
  int r = 0;
  switch (kind) {
    case kIdx: r = __shfl_sync(kFullMask, v, arg, width); break;
    case kUp: r = __shfl_up_sync(kFullMask, v, static_cast<unsigned>(arg), width); break;
    case kDown: r = __shfl_down_sync(kFullMask, v, static_cast<unsigned>(arg), width); break;
    default: r = __shfl_xor_sync(kFullMask, v, arg, width); break;
  }
  out[t] = r;
}

/** The lane whose value lane `lane` receives, as the CUDA programming guide defines each shuffle. */
unsigned documentedSource(int kind, unsigned lane, int arg, int width) {
  const unsigned w = static_cast<unsigned>(width);
  const unsigned groupStart = lane / w * w;  // the first lane of this lane's width-sized subsection
  const unsigned a = static_cast<unsigned>(arg);
  switch (kind) {
    case kIdx: return groupStart + a % w;  // srcLane outside [0, width) is taken modulo width
    case kUp: return lane - groupStart >= a ? lane - a : lane;  // no lane below the subsection: own value
    case kDown: return lane - groupStart + a < w ? lane + a : lane;  // none above: own value
    default: {
      const unsigned source = lane ^ a;
      // A later subsection cannot be read (own value); an earlier one can.
      return source < groupStart + w ? source : lane;
    }
  }
}

void checkShuffle(int kind, const char* name, std::initializer_list<std::pair<int, int>> argsAndWidths) {
  constexpr int threads = 64;  // two warps: the shuffle stays within each
  std::vector<int> values(threads);
  for (int t = 0; t < threads; t++) values[t] = 1000 + 7 * t;
  DeviceArray<int> in(values);
  DeviceArray<int> out(threads);
  for (const auto& [arg, width] : argsAndWidths) {
    PUZZLE_LAUNCH(1, threads, shuffleKernel)(in.get(), out.get(), kind, arg, width);
    checkCuda(cudaGetLastError(), cat(name, "(arg ", arg, ", width ", width, ")"));
    const std::vector<int> got = out.download();
    for (unsigned t = 0; t < threads; t++) {
      const unsigned warpBase = t / 32 * 32;
      const int expected = values[warpBase + documentedSource(kind, t % 32, arg, width)];
      if (got[t] != expected) {
        fail(cat(name, "(arg ", arg, ", width ", width, "): thread ", t, " got ", got[t], ", expected ", expected));
      }
    }
  }
}

SELFTEST_CASE(shuffleIdx, "__shfl_sync, width 32 and narrower, srcLane taken modulo width") {
  checkShuffle(kIdx, "__shfl_sync", {{5, 32}, {37, 32}, {3, 8}, {10, 4}, {0, 1}});
}

SELFTEST_CASE(shuffleUp, "__shfl_up_sync, width 32 and narrower") {
  checkShuffle(kUp, "__shfl_up_sync", {{1, 32}, {3, 32}, {2, 8}, {5, 16}, {0, 32}});
}

SELFTEST_CASE(shuffleDown, "__shfl_down_sync, width 32 and narrower") {
  checkShuffle(kDown, "__shfl_down_sync", {{1, 32}, {5, 32}, {3, 16}, {1, 2}, {31, 32}});
}

SELFTEST_CASE(shuffleXor, "__shfl_xor_sync, width 32 and narrower (earlier subsections readable, later not)") {
  checkShuffle(kXor, "__shfl_xor_sync", {{1, 32}, {6, 32}, {16, 32}, {5, 4}, {16, 16}, {3, 8}});
}

__global__ void shuffleWideKernel(const double* in, double* out, long long* outLong) {
  const unsigned t = threadIdx.x;
  out[t] = __shfl_down_sync(kFullMask, in[t], 3);
  outLong[t] = __shfl_sync(kFullMask, static_cast<long long>(in[t]) * 1000003LL, 31 - static_cast<int>(t % 32));
}

SELFTEST_CASE(shuffleWide, "shuffles move 8-byte values (double, long long) whole") {
  constexpr int threads = 32;
  std::vector<double> values(threads);
  for (int t = 0; t < threads; t++) values[t] = 1e12 + t * 0.125;
  DeviceArray<double> in(values);
  DeviceArray<double> out(threads);
  DeviceArray<long long> outLong(threads);
  PUZZLE_LAUNCH(1, threads, shuffleWideKernel)(in.get(), out.get(), outLong.get());
  checkCuda(cudaGetLastError(), "shuffleWideKernel");
  const std::vector<double> got = out.download();
  const std::vector<long long> gotLong = outLong.download();
  for (int t = 0; t < threads; t++) {
    const double expected = values[t + 3 < threads ? t + 3 : t];
    check(got[t] == expected, cat("double: lane ", t, " got ", got[t], ", expected ", expected));
    const long long expectedLong = static_cast<long long>(values[31 - t]) * 1000003LL;
    check(gotLong[t] == expectedLong, cat("long long: lane ", t, " got ", gotLong[t], ", expected ", expectedLong));
  }
}

__global__ void warpSyncSitesKernel(int* out) {
  __shared__ int slots[32];
  const unsigned t = threadIdx.x;
  slots[t] = -1;
  __syncthreads();
  slots[t] = static_cast<int>(t) + 1;
  // Unlike __syncthreads, __syncwarp may be reached from different call sites: the lanes still meet.
  if (t % 2 == 0) {
    __syncwarp(kFullMask);
  } else {
    __syncwarp(kFullMask);
  }
  out[t] = slots[t ^ 1];
}

SELFTEST_CASE(syncwarpSites, "__syncwarp(mask) from different call sites synchronises the warp, under any seed") {
  DeviceArray<int> out(32);
  for (unsigned long long seed : {0ull, 1ull, 2ull, 3ull}) {
    const selftest::SeedScope scope(seed);
    PUZZLE_LAUNCH(1, 32, warpSyncSitesKernel)(out.get());
    checkCuda(cudaGetLastError(), cat("warpSyncSitesKernel under seed ", seed));
    const std::vector<int> got = out.download();
    for (int t = 0; t < 32; t++) {
      check(got[t] == (t ^ 1) + 1, cat("seed ", seed, ": lane ", t, " read ", got[t], ", expected ", (t ^ 1) + 1));
    }
  }
}

// ---- votes ----

constexpr int kVoteFields = 7;

__global__ void voteKernel(unsigned* out) {
  const unsigned t = threadIdx.x;
  const unsigned lane = t % 32;
  // The lanes that exist: all 32, or fewer in the last warp of a block whose size is not a multiple of 32.
  const unsigned mask = __activemask();
  unsigned* o = out + t * kVoteFields;
  o[0] = mask;
  o[1] = __ballot_sync(mask, lane % 3 == 0);
  o[2] = static_cast<unsigned>(__any_sync(mask, lane == 13 && t >= 32));
  o[3] = static_cast<unsigned>(__all_sync(mask, t < blockDim.x));
  o[4] = static_cast<unsigned>(__all_sync(mask, lane != 5));
  o[5] = static_cast<unsigned>(__any_sync(mask, false));
  // A vote of half a warp, the other lanes elsewhere.
  o[6] = lane < 8 ? __ballot_sync(0x000000ffu, lane % 2 == 1) : 0xdeadu;
}

void checkVotes(unsigned threads) {
  DeviceArray<unsigned> out(threads * kVoteFields);
  PUZZLE_LAUNCH(1, threads, voteKernel)(out.get());
  checkCuda(cudaGetLastError(), cat("voteKernel with ", threads, " threads"));
  const std::vector<unsigned> got = out.download();
  for (unsigned t = 0; t < threads; t++) {
    const unsigned warpBase = t / 32 * 32;
    const unsigned lanes = threads - warpBase < 32 ? threads - warpBase : 32;
    const unsigned mask = lanes == 32 ? kFullMask : (1u << lanes) - 1;
    unsigned ballot = 0;
    for (unsigned l = 0; l < lanes; l++) ballot |= (l % 3 == 0 ? 1u : 0u) << l;
    const bool anyThirteen = lanes > 13 && warpBase >= 32;
    const bool allNotFive = lanes <= 5;
    const unsigned expected[kVoteFields] = {mask, ballot, anyThirteen ? 1u : 0u, 1u, allNotFive ? 1u : 0u, 0u,
                                            t % 32 < 8 ? 0xaau : 0xdeadu};
    const char* names[kVoteFields] = {"__activemask", "__ballot_sync", "__any_sync", "__all_sync (true)", "__all_sync (false)",
                                      "__any_sync (none)", "__ballot_sync of 8 lanes"};
    for (int f = 0; f < kVoteFields; f++) {
      const unsigned value = got[t * kVoteFields + f];
      if (value != expected[f]) {
        fail(cat(names[f], " in a block of ", threads, " threads: thread ", t, " got 0x", std::hex, value, ", expected 0x",
                 expected[f]));
      }
    }
  }
}

SELFTEST_CASE(votes, "__ballot_sync, __any_sync, __all_sync, __activemask, in full and partial warps") {
  checkVotes(64);
  checkVotes(48);
}

__global__ void halfWarpVotesKernel(unsigned* out) {
  const unsigned lane = threadIdx.x % 32;
  // Two disjoint masks, two independent collectives at the same time: legal, and each half sees only itself.
  if (lane < 16) out[threadIdx.x] = __ballot_sync(0x0000ffffu, lane % 4 == 0);
  else out[threadIdx.x] = __ballot_sync(0xffff0000u, lane % 4 == 1);
}

SELFTEST_CASE(disjointMaskVotes, "__ballot_sync of two half-warps with disjoint masks, at different call sites") {
  DeviceArray<unsigned> out(64);
  for (unsigned long long seed : {0ull, 5ull}) {
    const selftest::SeedScope scope(seed);
    PUZZLE_LAUNCH(1, 64, halfWarpVotesKernel)(out.get());
    checkCuda(cudaGetLastError(), cat("halfWarpVotesKernel under seed ", seed));
    const std::vector<unsigned> got = out.download();
    for (unsigned t = 0; t < 64; t++) {
      const unsigned expected = t % 32 < 16 ? 0x00001111u : 0x22220000u;
      check(got[t] == expected, cat("seed ", seed, ": thread ", t, " got 0x", std::hex, got[t], ", expected 0x", expected));
    }
  }
}

__global__ void parameterCopyKernel(int* out, int countdown) {
  // Each thread changes its own copy of the parameter; no other thread may see the change.
  for (unsigned i = 0; i <= threadIdx.x; i++) countdown--;
  __syncthreads();
  out[threadIdx.x] = countdown;
}

SELFTEST_CASE(parameterCopies, "kernel parameters are each thread's own copy") {
  DeviceArray<int> out(64);
  PUZZLE_LAUNCH(1, 64, parameterCopyKernel)(out.get(), 1000);
  checkCuda(cudaGetLastError(), "parameterCopyKernel");
  const std::vector<int> got = out.download();
  for (int t = 0; t < 64; t++) check(got[t] == 999 - t, cat("thread ", t, " ended with ", got[t], ", expected ", 999 - t));
}

// ---- atomics ----

__global__ void atomicAddKernel(int* counter, float* floatSum, int* tickets) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  tickets[i] = atomicAdd(counter, 1);
  atomicAdd(floatSum, 0.5f);
}

SELFTEST_CASE(atomicAddSums, "atomicAdd: every thread's contribution counts, each gets a distinct old value") {
  constexpr int blocks = 5;
  constexpr int threads = 96;
  constexpr int n = blocks * threads;
  DeviceArray<int> counter(std::vector<int>{0});
  DeviceArray<float> floatSum(std::vector<float>{0.f});
  DeviceArray<int> tickets(n);
  PUZZLE_LAUNCH(blocks, threads, atomicAddKernel)(counter.get(), floatSum.get(), tickets.get());
  checkCuda(cudaGetLastError(), "atomicAddKernel");
  check(counter.download()[0] == n, cat("the counter reached ", counter.download()[0], ", expected ", n));
  check(floatSum.download()[0] == 0.5f * n, cat("the float sum is ", floatSum.download()[0], ", expected ", 0.5f * n));
  std::vector<int> seen(n, 0);
  for (int ticket : tickets.download()) {
    check(ticket >= 0 && ticket < n, cat("atomicAdd returned ", ticket, ", outside [0, ", n, ")"));
    check(++seen[ticket] == 1, cat("atomicAdd returned ", ticket, " twice"));
  }
}

__global__ void atomicIncKernel(unsigned* counter, unsigned limit, unsigned* olds) {
  olds[blockIdx.x * blockDim.x + threadIdx.x] = atomicInc(counter, limit);
}

__global__ void atomicDecKernel(unsigned* counter, unsigned limit, unsigned* olds) {
  olds[blockIdx.x * blockDim.x + threadIdx.x] = atomicDec(counter, limit);
}

SELFTEST_CASE(atomicIncWraps, "atomicInc wraps to 0 past its limit, atomicDec to the limit below 0") {
  constexpr unsigned limit = 9;
  constexpr unsigned n = 128;
  DeviceArray<unsigned> counter(std::vector<unsigned>{0});
  DeviceArray<unsigned> olds(n);
  PUZZLE_LAUNCH(2, n / 2, atomicIncKernel)(counter.get(), limit, olds.get());
  checkCuda(cudaGetLastError(), "atomicIncKernel");
  // Counting 0, 1, …, 9, 0, 1, … : 128 increments end at 128 mod 10, each value returned 12 or 13 times.
  check(counter.download()[0] == n % (limit + 1), cat("atomicInc ended at ", counter.download()[0], ", expected ", n % (limit + 1)));
  std::vector<unsigned> histogram(limit + 1, 0);
  for (unsigned old : olds.download()) {
    check(old <= limit, cat("atomicInc returned ", old, ", above the limit ", limit));
    histogram[old]++;
  }
  for (unsigned v = 0; v <= limit; v++) {
    const unsigned expected = n / (limit + 1) + (v < n % (limit + 1) ? 1 : 0);
    check(histogram[v] == expected, cat("atomicInc returned ", v, " ", histogram[v], " times, expected ", expected));
  }
  // A value above the limit also wraps to 0.
  DeviceArray<unsigned> above(std::vector<unsigned>{50});
  DeviceArray<unsigned> one(1);
  PUZZLE_LAUNCH(1, 1, atomicIncKernel)(above.get(), limit, one.get());
  check(one.download()[0] == 50 && above.download()[0] == 0,
        cat("atomicInc of 50 with limit 9 returned ", one.download()[0], " and left ", above.download()[0], ", expected 50 and 0"));
  // atomicDec: 0 (or above the limit) becomes the limit, anything else decrements.
  DeviceArray<unsigned> down(std::vector<unsigned>{2});
  DeviceArray<unsigned> downOlds(4);
  PUZZLE_LAUNCH(1, 4, atomicDecKernel)(down.get(), 3u, downOlds.get());
  checkCuda(cudaGetLastError(), "atomicDecKernel");
  std::vector<unsigned> decOlds = downOlds.download();
  std::sort(decOlds.begin(), decOlds.end());
  // From 2 with limit 3: returns 2, 1, 0 and 3 (wrapped) in some order, and ends at 2.
  check(decOlds == std::vector<unsigned>({0, 1, 2, 3}) && down.download()[0] == 2,
        cat("atomicDec from 2 with limit 3 returned {", decOlds[0], ",", decOlds[1], ",", decOlds[2], ",", decOlds[3],
            "} and ended at ", down.download()[0], ", expected {0,1,2,3} in some order and 2"));
}

__global__ void atomicMiscKernel(int* maxValue, int* minValue, unsigned* bits, int* exchanged, int* casSum) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int key = (i * 29) % 67 - 30;
  atomicMax(maxValue, key);
  atomicMin(minValue, key);
  atomicOr(bits, 1u << (i % 32));
  atomicExch(exchanged, i);
  // An add written as the usual compare-and-swap loop.
  int old = *casSum;
  for (;;) {
    const int seen = atomicCAS(casSum, old, old + i);
    if (seen == old) break;
    old = seen;
  }
}

SELFTEST_CASE(atomicMisc, "atomicMax, atomicMin, atomicOr, atomicExch and an atomicCAS loop") {
  constexpr int blocks = 3;
  constexpr int threads = 40;
  constexpr int n = blocks * threads;
  DeviceArray<int> maxValue(std::vector<int>{-1000});
  DeviceArray<int> minValue(std::vector<int>{1000});
  DeviceArray<unsigned> bits(std::vector<unsigned>{0});
  DeviceArray<int> exchanged(std::vector<int>{-1});
  DeviceArray<int> casSum(std::vector<int>{0});
  PUZZLE_LAUNCH(blocks, threads, atomicMiscKernel)(maxValue.get(), minValue.get(), bits.get(), exchanged.get(), casSum.get());
  checkCuda(cudaGetLastError(), "atomicMiscKernel");
  int expectedMax = -1000;
  int expectedMin = 1000;
  for (int i = 0; i < n; i++) {
    const int key = (i * 29) % 67 - 30;
    expectedMax = key > expectedMax ? key : expectedMax;
    expectedMin = key < expectedMin ? key : expectedMin;
  }
  check(maxValue.download()[0] == expectedMax, cat("atomicMax gave ", maxValue.download()[0], ", expected ", expectedMax));
  check(minValue.download()[0] == expectedMin, cat("atomicMin gave ", minValue.download()[0], ", expected ", expectedMin));
  check(bits.download()[0] == kFullMask, cat("atomicOr gave 0x", std::hex, bits.download()[0], ", expected all bits"));
  const int last = exchanged.download()[0];
  check(last >= 0 && last < n, cat("atomicExch left ", last, ", not a thread's index"));
  check(casSum.download()[0] == n * (n - 1) / 2, cat("the atomicCAS loop summed to ", casSum.download()[0], ", expected ", n * (n - 1) / 2));
}

// ---- launch coordinates ----

struct Seen {
  unsigned thread[3], block[3], blockDim[3], gridDim[3];
  unsigned threadAfterBarrier[3];
  unsigned writes;
};

__global__ void coordinatesKernel(Seen* out) {
  const unsigned blockLinear = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const unsigned threadLinear = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  Seen& s = out[blockLinear * blockDim.x * blockDim.y * blockDim.z + threadLinear];
  s.thread[0] = threadIdx.x, s.thread[1] = threadIdx.y, s.thread[2] = threadIdx.z;
  s.block[0] = blockIdx.x, s.block[1] = blockIdx.y, s.block[2] = blockIdx.z;
  s.blockDim[0] = blockDim.x, s.blockDim[1] = blockDim.y, s.blockDim[2] = blockDim.z;
  s.gridDim[0] = gridDim.x, s.gridDim[1] = gridDim.y, s.gridDim[2] = gridDim.z;
  s.writes++;
  // The coordinates are the running thread's again once the barrier lets it go on.
  __syncthreads();
  s.threadAfterBarrier[0] = threadIdx.x, s.threadAfterBarrier[1] = threadIdx.y, s.threadAfterBarrier[2] = threadIdx.z;
}

void checkCoordinates(dim3 grid, dim3 block) {
  const unsigned perBlock = block.x * block.y * block.z;
  const unsigned total = perBlock * grid.x * grid.y * grid.z;
  DeviceArray<Seen> out(total);
  out.fillBytes(0);
  PUZZLE_LAUNCH(grid, block, coordinatesKernel)(out.get());
  checkCuda(cudaGetLastError(), "coordinatesKernel");
  const std::vector<Seen> got = out.download();
  const std::string launch = cat("grid (", grid.x, ",", grid.y, ",", grid.z, ") block (", block.x, ",", block.y, ",", block.z, ")");
  for (unsigned bz = 0; bz < grid.z; bz++) {
    for (unsigned by = 0; by < grid.y; by++) {
      for (unsigned bx = 0; bx < grid.x; bx++) {
        for (unsigned tz = 0; tz < block.z; tz++) {
          for (unsigned ty = 0; ty < block.y; ty++) {
            for (unsigned tx = 0; tx < block.x; tx++) {
              const unsigned b = bx + grid.x * (by + grid.y * bz);
              const Seen& s = got[b * perBlock + tx + block.x * (ty + block.y * tz)];
              const unsigned thread[3] = {tx, ty, tz};
              const unsigned blockIndex[3] = {bx, by, bz};
              const unsigned blockDims[3] = {block.x, block.y, block.z};
              const unsigned gridDims[3] = {grid.x, grid.y, grid.z};
              const std::string who = cat(launch, ": thread (", tx, ",", ty, ",", tz, ") of block (", bx, ",", by, ",", bz, ")");
              check(s.writes == 1, cat(who, " ran ", s.writes, " times"));
              for (int d = 0; d < 3; d++) {
                check(s.thread[d] == thread[d], cat(who, " saw threadIdx[", d, "] = ", s.thread[d]));
                check(s.threadAfterBarrier[d] == thread[d], cat(who, " saw threadIdx[", d, "] = ", s.threadAfterBarrier[d], " after __syncthreads"));
                check(s.block[d] == blockIndex[d], cat(who, " saw blockIdx[", d, "] = ", s.block[d]));
                check(s.blockDim[d] == blockDims[d], cat(who, " saw blockDim[", d, "] = ", s.blockDim[d]));
                check(s.gridDim[d] == gridDims[d], cat(who, " saw gridDim[", d, "] = ", s.gridDim[d]));
              }
            }
          }
        }
      }
    }
  }
}

SELFTEST_CASE(coordinates2d, "2-D blocks and grids: threadIdx, blockIdx, blockDim, gridDim") {
  checkCoordinates(dim3(3, 2), dim3(16, 5));
  checkCoordinates(dim3(1, 4), dim3(7, 1));
}

SELFTEST_CASE(coordinates3d, "3-D blocks and grids: threadIdx, blockIdx, blockDim, gridDim") {
  checkCoordinates(dim3(3, 2, 2), dim3(4, 3, 2));
  checkCoordinates(dim3(2, 1, 3), dim3(1, 2, 5));
  // A shuffled block and thread order covers every block and thread once, too.
  const selftest::SeedScope seed(7);
  checkCoordinates(dim3(3, 2, 2), dim3(4, 3, 2));
}

// ---- dynamic shared memory ----

__global__ void reverseKernel(const float* in, float* out, unsigned* misaligned) {
  float* tile = puzzle::dynamicShared<float>();
  const unsigned n = blockDim.x;
  const unsigned t = threadIdx.x;
  if (reinterpret_cast<uintptr_t>(tile) % 16 != 0) atomicAdd(misaligned, 1u);
  tile[t] = in[blockIdx.x * n + t];
  __syncthreads();
  out[blockIdx.x * n + t] = tile[n - 1 - t];
}

SELFTEST_CASE(dynamicShared, "dynamic shared memory: the launch's bytes, 16-byte aligned, shared by the block") {
  constexpr unsigned blocks = 3;
  constexpr unsigned n = 100;
  std::vector<float> values(blocks * n);
  for (unsigned i = 0; i < values.size(); i++) values[i] = static_cast<float>(i) * 0.5f;
  DeviceArray<float> in(values);
  DeviceArray<float> out(blocks * n);
  DeviceArray<unsigned> misaligned(std::vector<unsigned>{0});
  PUZZLE_LAUNCH_SHARED(blocks, n, n * sizeof(float), reverseKernel)(in.get(), out.get(), misaligned.get());
  checkCuda(cudaGetLastError(), "reverseKernel");
  check(misaligned.download()[0] == 0, "puzzle::dynamicShared() is not 16-byte aligned");
  const std::vector<float> got = out.download();
  for (unsigned b = 0; b < blocks; b++) {
    for (unsigned t = 0; t < n; t++) {
      const float expected = values[b * n + (n - 1 - t)];
      check(got[b * n + t] == expected, cat("block ", b, " thread ", t, " got ", got[b * n + t], ", expected ", expected));
    }
  }
}

/** Writes every word of the dynamic shared memory, then sums them all in thread 0; one template per kernel identity. */
template <int Tag>
__global__ void fillSharedKernel(unsigned long long* sum, unsigned words) {
  unsigned* s = puzzle::dynamicShared<unsigned>();
  for (unsigned i = threadIdx.x; i < words; i += blockDim.x) s[i] = i;
  __syncthreads();
  if (threadIdx.x == 0) {
    unsigned long long total = 0;
    for (unsigned i = 0; i < words; i++) total += s[i];
    *sum = total;
  }
}

void checkSharedLaunch(void (*kernel)(unsigned long long*, unsigned), size_t bytes, bool allowed, const char* what) {
  DeviceArray<unsigned long long> sum(std::vector<unsigned long long>{0});
  const unsigned words = static_cast<unsigned>(bytes / sizeof(unsigned));
  PUZZLE_LAUNCH_SHARED(1, 128, bytes, kernel)(sum.get(), words);
  if (allowed) {
    checkCuda(cudaGetLastError(), cat(what, ": a launch with ", bytes, " bytes of dynamic shared memory"));
    const unsigned long long expected = static_cast<unsigned long long>(words) * (words - 1) / 2;
    check(sum.download()[0] == expected, cat(what, ": the ", bytes, "-byte shared sum is ", sum.download()[0], ", expected ", expected));
  } else {
    const std::string text = selftest::takeLastError(cudaErrorInvalidValue, cat(what, ": a launch with ", bytes, " bytes"));
    selftest::checkWords(text, {"dynamic shared memory"}, what);
    check(sum.download()[0] == 0, cat(what, ": the rejected launch ran"));
  }
}

SELFTEST_CASE(sharedLimitOptIn, "dynamic shared memory: 48 KiB by default, more per kernel after cudaFuncSetAttribute") {
  constexpr size_t kib = 1024;
  auto* optedIn = &fillSharedKernel<1>;
  auto* other = &fillSharedKernel<2>;
  checkSharedLaunch(optedIn, 48 * kib, true, "before the opt-in");
  checkSharedLaunch(optedIn, 48 * kib + 16, false, "before the opt-in");
  checkCuda(cudaFuncSetAttribute(reinterpret_cast<const void*>(optedIn), cudaFuncAttributeMaxDynamicSharedMemorySize, 100 * kib),
            "cudaFuncSetAttribute(100 KiB)");
  checkSharedLaunch(optedIn, 100 * kib, true, "after the opt-in");
  checkSharedLaunch(optedIn, 100 * kib + 4, false, "after the opt-in");
  // The attribute belongs to one kernel.
  checkSharedLaunch(other, 48 * kib + 16, false, "another kernel");
  // sm_90's ceiling: 227 KiB.
  checkCuda(cudaFuncSetAttribute(reinterpret_cast<const void*>(optedIn), cudaFuncAttributeMaxDynamicSharedMemorySize, 227 * kib),
            "cudaFuncSetAttribute(227 KiB)");
  checkSharedLaunch(optedIn, 227 * kib, true, "at 227 KiB");
  const cudaError_t tooMuch =
      cudaFuncSetAttribute(reinterpret_cast<const void*>(optedIn), cudaFuncAttributeMaxDynamicSharedMemorySize, 228 * kib);
  check(tooMuch == cudaErrorInvalidValue, cat("cudaFuncSetAttribute(228 KiB) gave ", cudaGetErrorName(tooMuch)));
  selftest::takeLastError(cudaErrorInvalidValue, "cudaFuncSetAttribute(228 KiB)");
}

}  // namespace
