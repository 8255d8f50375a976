// __syncwarp() with no argument (the full mask, as CUDA declares `__syncwarp(unsigned mask = 0xffffffff)`), in a
// file of its own: a macro that does not compile it leaves this file out, and the self-test says so while still
// running the cases of the other files. (The first macro, `syncWarp(__FILE__, __LINE__, ##__VA_ARGS__)`, did not:
// under -std=c++17 GCC keeps the comma before an empty __VA_ARGS__.)
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkCuda;
using selftest::DeviceArray;

namespace {

/** Lanes trade values through shared memory, with only __syncwarp() between the write and the read. */
__global__ void warpExchangeKernel(int* out) {
  __shared__ int slots[32];
  const unsigned t = threadIdx.x;
  slots[t] = -1;
  __syncthreads();
  slots[t] = static_cast<int>(t) + 1;
  __syncwarp();
  out[t] = slots[t ^ 1];
}

SELFTEST_CASE(syncwarpDefaultMask, "__syncwarp() with no argument compiles and synchronises the whole warp") {
  DeviceArray<int> out(32);
  for (unsigned long long seed : {0ull, 1ull, 2ull}) {
    const selftest::SeedScope scope(seed);
    PUZZLE_LAUNCH(1, 32, warpExchangeKernel)(out.get());
    checkCuda(cudaGetLastError(), cat("warpExchangeKernel under seed ", seed));
    const std::vector<int> got = out.download();
    for (int t = 0; t < 32; t++) {
      check(got[t] == (t ^ 1) + 1, cat("seed ", seed, ": lane ", t, " read ", got[t], ", expected ", (t ^ 1) + 1));
    }
  }
}

}  // namespace
