// The seed (PUZZLE_CUDA_SIM_SEED, or puzzle_sim::setSeed) shuffles the order of threads between barriers and of
// blocks, which is what makes a race visible: a kernel that reads other threads' shared memory without the
// __syncthreads in between gives results that depend on the seed, while its correct version does not.
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkCuda;
using selftest::DeviceArray;

namespace {

constexpr unsigned kThreads = 64;
constexpr unsigned kBlocks = 4;

/** Each thread publishes a value in shared memory and reads its neighbour's; `synchronise` puts the barrier between. */
__global__ void neighbourKernel(int* out, bool synchronise) {
  __shared__ int slots[kThreads];
  const unsigned t = threadIdx.x;
  slots[t] = -1;
  __syncthreads();
  slots[t] = static_cast<int>(1000 * blockIdx.x + t);
  if (synchronise) __syncthreads();  // the racy version leaves this out
  out[blockIdx.x * kThreads + t] = slots[(t + 1) % kThreads];
}

std::vector<int> runUnderSeed(unsigned long long seed, bool synchronise) {
  const selftest::SeedScope scope(seed);
  DeviceArray<int> out(kBlocks * kThreads);
  PUZZLE_LAUNCH(kBlocks, kThreads, neighbourKernel)(out.get(), synchronise);
  checkCuda(cudaGetLastError(), cat("neighbourKernel under seed ", seed));
  return out.download();
}

/** How many threads read their neighbour's new value (the rest read the -1 from before the first barrier). */
int freshReads(const std::vector<int>& values) {
  int fresh = 0;
  for (int v : values) fresh += v >= 0 ? 1 : 0;
  return fresh;
}

SELFTEST_CASE(racyKernelDependsOnSeed, "race: a missing __syncthreads gives different results under different seeds") {
  const std::vector<int> inOrder = runUnderSeed(0, false);
  const std::vector<int> seeded1 = runUnderSeed(1, false);
  const std::vector<int> seeded2 = runUnderSeed(2, false);
  check(inOrder != seeded1, "the racy kernel gave the same results under seed 0 and seed 1");
  check(seeded1 != seeded2, "the racy kernel gave the same results under seeds 1 and 2");
  // In index order every thread but the last runs before its neighbour has written.
  check(freshReads(inOrder) == static_cast<int>(kBlocks), cat("in index order ", freshReads(inOrder), " threads read a fresh value, expected ",
                                                              kBlocks, " (the last of each block)"));
  // A seed is a reproducible order: the same seed, the same race outcome.
  check(runUnderSeed(1, false) == seeded1, "seed 1 gave different results on a second run");
}

SELFTEST_CASE(correctKernelIgnoresSeed, "race: with the __syncthreads, identical results under several seeds") {
  const std::vector<int> reference = runUnderSeed(0, true);
  for (unsigned b = 0; b < kBlocks; b++) {
    for (unsigned t = 0; t < kThreads; t++) {
      const int expected = static_cast<int>(1000 * b + (t + 1) % kThreads);
      check(reference[b * kThreads + t] == expected,
            cat("block ", b, " thread ", t, " read ", reference[b * kThreads + t], ", expected ", expected));
    }
  }
  for (unsigned long long seed : {1ull, 2ull, 3ull, 12345ull, 0xdeadbeefull}) {
    check(runUnderSeed(seed, true) == reference, cat("the synchronised kernel gave different results under seed ", seed));
  }
}

}  // namespace
