// Launch configurations the CUDA runtime rejects are rejected with its codes, through cudaGetLastError, without the
// kernel running; reading the error clears it; and the limits themselves are accepted.
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkCuda;
using selftest::DeviceArray;

namespace {

__global__ void countKernel(unsigned* count) { atomicAdd(count, 1u); }

/** Launches countKernel with a configuration the runtime must reject; checks the code, the words, and that nothing ran. */
void checkRejected(dim3 grid, dim3 block, size_t sharedBytes, cudaError_t code, std::initializer_list<const char*> words) {
  DeviceArray<unsigned> count(std::vector<unsigned>{0});
  const std::string launch = cat("grid (", grid.x, ",", grid.y, ",", grid.z, ") block (", block.x, ",", block.y, ",", block.z,
                                 ") with ", sharedBytes, " bytes of dynamic shared memory");
  PUZZLE_LAUNCH_SHARED(grid, block, sharedBytes, countKernel)(count.get());
  const std::string text = selftest::takeLastError(code, launch);
  selftest::checkWords(text, {"[CUDA simulator: launch of countKernel"}, launch);
  selftest::checkWords(text, words, launch);
  check(count.download()[0] == 0, cat(launch, ": the rejected kernel ran ", count.download()[0], " threads"));
}

/** Launches countKernel with a configuration at the limits; it must run every thread of every block. */
void checkAccepted(dim3 grid, dim3 block) {
  DeviceArray<unsigned> count(std::vector<unsigned>{0});
  PUZZLE_LAUNCH(grid, block, countKernel)(count.get());
  const std::string launch = cat("grid (", grid.x, ",", grid.y, ",", grid.z, ") block (", block.x, ",", block.y, ",", block.z, ")");
  checkCuda(cudaGetLastError(), launch);
  const unsigned expected = grid.x * grid.y * grid.z * block.x * block.y * block.z;
  check(count.download()[0] == expected, cat(launch, " ran ", count.download()[0], " threads, expected ", expected));
}

SELFTEST_CASE(tooManyThreads, "launch config: 1025 threads per block is cudaErrorInvalidConfiguration, 1024 runs") {
  checkRejected(1, 1025, 0, cudaErrorInvalidConfiguration, {"invalid configuration argument", "1025 threads"});
  checkRejected(1, dim3(64, 32), 0, cudaErrorInvalidConfiguration, {"2048 threads"});
  checkAccepted(2, 1024);
  checkAccepted(1, dim3(32, 32));
}

SELFTEST_CASE(blockZ65, "launch config: block z 65 is cudaErrorInvalidConfiguration, z 64 runs") {
  checkRejected(1, dim3(1, 1, 65), 0, cudaErrorInvalidConfiguration, {"invalid configuration argument", "(1,1,65)"});
  checkAccepted(1, dim3(2, 2, 64));
}

SELFTEST_CASE(gridY65536, "launch config: grid y 65536 is cudaErrorInvalidConfiguration, y 65535 runs") {
  checkRejected(dim3(1, 65536), 1, 0, cudaErrorInvalidConfiguration, {"invalid configuration argument", "(1,65536,1)"});
  checkRejected(dim3(1, 1, 65536), 1, 0, cudaErrorInvalidConfiguration, {"(1,1,65536)"});
  checkAccepted(dim3(1, 65535), 1);
}

SELFTEST_CASE(zeroExtent, "launch config: a zero grid or block extent is cudaErrorInvalidConfiguration") {
  checkRejected(dim3(0, 1, 1), 32, 0, cudaErrorInvalidConfiguration, {"invalid configuration argument", "zero extent"});
  checkRejected(dim3(2, 2, 0), 32, 0, cudaErrorInvalidConfiguration, {"zero extent"});
  checkRejected(4, dim3(8, 0, 1), 0, cudaErrorInvalidConfiguration, {"zero extent"});
}

SELFTEST_CASE(tooMuchShared, "launch config: more than 48 KiB of dynamic shared memory is cudaErrorInvalidValue") {
  checkRejected(1, 32, 48 * 1024 + 1, cudaErrorInvalidValue, {"invalid argument", "49153 bytes of dynamic shared memory"});
  checkRejected(1, 32, 1u << 20, cudaErrorInvalidValue, {"cudaFuncSetAttribute"});
}

SELFTEST_CASE(errorClears, "launch config: the error is reported once, and a good launch after it succeeds") {
  DeviceArray<unsigned> count(std::vector<unsigned>{0});
  PUZZLE_LAUNCH(1, 2000, countKernel)(count.get());
  // Peeking leaves the error; getting it clears it.
  check(cudaPeekAtLastError() == cudaErrorInvalidConfiguration, "cudaPeekAtLastError did not see the error");
  check(cudaPeekAtLastError() == cudaErrorInvalidConfiguration, "cudaPeekAtLastError cleared the error");
  selftest::takeLastError(cudaErrorInvalidConfiguration, "the 2000-thread launch");
  PUZZLE_LAUNCH(1, 20, countKernel)(count.get());
  checkCuda(cudaGetLastError(), "the launch after a rejected one");
  check(count.download()[0] == 20, cat("the launch after a rejected one ran ", count.download()[0], " threads, expected 20"));
}

}  // namespace
