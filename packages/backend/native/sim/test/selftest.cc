// The CUDA simulator's self-test: small kernels of our own, written like CUDA and launched with PUZZLE_LAUNCH, that
// check the simulator computes right, rejects what the runtime rejects, diagnoses what a GPU would silently get wrong,
// and recovers afterwards; plus its runtime (memory, copies, streams) and its cuBLAS. The topics live beside this file
// (results.cc, launch_config.cc, diagnoses.cc, races.cc, memory.cc, cublas.cc, syncwarp.cc); this file holds the
// runner.
//
// Built by packages/backend/src/engines/cuda/simulator-selftest.test.ts, each file on its own (a file that does not
// compile leaves out its cases only), against the simulator's objects from tools/native/build.mjs:
//   g++ -std=c++17 -O2 -DPUZZLE_CUDA_SIM=1 -I packages/backend/native/sim/include packages/backend/native/sim/test/*.cc
//       packages/backend/build/obj-sim/sim_{scheduler,fiber,device_memory,runtime,cublas_sim,fault_handler}.cc.o
//       -ldl -lpthread
//
// Usage: [SELFTEST_VERBOSE=1] selftest [--no-fork] [name-substring...]. Each case runs in a child process of its own,
// so that a case that crashes or hangs (a fault the handler does not catch, a fiber gone wrong) fails alone and names
// itself; --no-fork runs them in this process, for a debugger. Prints one line per case, `ok <name>` or
// `FAIL <name>: <why>`, then a summary line, and exits 1 when any case failed. SELFTEST_VERBOSE=1 also prints each
// error message a case checks, to read the simulator's wording.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "../../kernels/launch.cuh"
#include "../sim_state.h"
#include "harness.h"

namespace selftest {

namespace {

// Generous: the slowest case takes a fraction of a second; a hang is a simulator bug, reported instead of waited on.
constexpr unsigned kCaseTimeoutSeconds = 30;

std::string oneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

/** Runs one case here; returns whether it passed, having printed its line. */
bool runHere(const Case& c) {
  std::string why;
  try {
    // A case starts from a clean error state, whatever the one before it left.
    cudaGetLastError();
    c.body();
    std::printf("ok %s\n", c.name);
    std::fflush(stdout);
    return true;
  } catch (const Failure& f) {
    why = f.why;
  } catch (const std::exception& e) {
    why = cat("exception: ", e.what());
  }
  std::printf("FAIL %s: %s\n", c.name, oneLine(why).c_str());
  std::fflush(stdout);
  return false;
}

/** Runs one case in a child process; the child prints its own line unless it dies, then the parent does. */
bool runForked(const Case& c) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = fork();
  if (child < 0) {
    std::printf("FAIL %s: fork failed: %s\n", c.name, std::strerror(errno));
    return false;
  }
  if (child == 0) {
    alarm(kCaseTimeoutSeconds);
    const bool passed = runHere(c);
    _exit(passed ? 0 : 1);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1) return false;  // its FAIL line is printed
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    std::printf("FAIL %s: did not finish in %u s (a hang in the simulator?)\n", c.name, kCaseTimeoutSeconds);
  } else if (WIFSIGNALED(status)) {
    std::printf("FAIL %s: the process died of signal %d (%s)\n", c.name, WTERMSIG(status), strsignal(WTERMSIG(status)));
  } else {
    std::printf("FAIL %s: the process exited with status %d\n", c.name, WEXITSTATUS(status));
  }
  return false;
}

bool selected(const Case& c, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  for (const std::string& f : filters) {
    if (std::strstr(c.name, f.c_str())) return true;
  }
  return false;
}

// The recovery check's kernel: every block reverses its slice through shared memory, then swaps neighbours with a
// shuffle, so the barrier, the collectives and fresh fibers all work again after a launch the simulator aborted.
__global__ void recoveryKernel(int* out) {
  __shared__ int values[64];
  const unsigned t = threadIdx.x;
  values[t] = static_cast<int>(t + 100 * blockIdx.x);
  __syncthreads();
  const int mirrored = values[63 - t];
  out[blockIdx.x * 64 + t] = __shfl_xor_sync(0xffffffffu, mirrored, 1);
}

}  // namespace

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

void fail(const std::string& why) { throw Failure{why}; }

void checkCuda(cudaError_t status, const std::string& what) {
  if (status != cudaSuccess) fail(cat(what, " failed: ", cudaGetErrorName(status), ": ", cudaGetErrorString(status)));
}

std::string takeLastError(cudaError_t expected, const std::string& what) {
  const cudaError_t got = cudaGetLastError();
  const std::string text = cudaGetErrorString(got);
  if (std::getenv("SELFTEST_VERBOSE")) std::fprintf(stderr, "  %s: %s\n", what.c_str(), text.c_str());
  if (got != expected) {
    fail(cat(what, ": cudaGetLastError gave ", cudaGetErrorName(got), " (", text, "), expected ", cudaGetErrorName(expected)));
  }
  const cudaError_t again = cudaGetLastError();
  if (again != cudaSuccess) fail(cat(what, ": reading the error did not clear it (then ", cudaGetErrorName(again), ")"));
  return text;
}

void checkWords(const std::string& text, std::initializer_list<const char*> words, const std::string& what) {
  for (const char* word : words) {
    if (text.find(word) == std::string::npos) fail(cat(what, ": the message lacks \"", word, "\": ", text));
  }
}

std::string checkLaunchDiagnosis(cudaError_t expected, const char* kernelName, std::initializer_list<const char*> words) {
  const std::string text = takeLastError(expected, cat("launch of ", kernelName));
  checkWords(text, {"[CUDA simulator: kernel ", kernelName, "(launched at "}, cat("launch of ", kernelName));
  checkWords(text, words, cat("launch of ", kernelName));
  return text;
}

void checkRecovers() {
  constexpr int kBlocks = 3;
  DeviceArray<int> out(kBlocks * 64);
  PUZZLE_LAUNCH(kBlocks, 64, recoveryKernel)(out.get());
  checkCuda(cudaGetLastError(), "the correct launch after a failed one");
  const std::vector<int> got = out.download();
  for (int b = 0; b < kBlocks; b++) {
    for (int t = 0; t < 64; t++) {
      const int expected = (63 - (t ^ 1)) + 100 * b;
      if (got[b * 64 + t] != expected) {
        fail(cat("after the failed launch, a correct kernel gave ", got[b * 64 + t], " at block ", b, " thread ", t,
                 ", expected ", expected));
      }
    }
  }
}

SeedScope::SeedScope(unsigned long long seed) : previous_(puzzle_sim::seed()) { puzzle_sim::setSeed(seed); }
SeedScope::~SeedScope() { puzzle_sim::setSeed(previous_); }

}  // namespace selftest

int main(int argc, char** argv) {
  bool inChildProcesses = true;
  std::vector<std::string> filters;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--no-fork") == 0) inChildProcesses = false;
    else filters.emplace_back(argv[i]);
  }
  int ran = 0;
  int failed = 0;
  for (const selftest::Case& c : selftest::registry()) {
    if (!selftest::selected(c, filters)) continue;
    ran++;
    if (!(inChildProcesses ? selftest::runForked(c) : selftest::runHere(c))) failed++;
  }
  std::printf("%d cases, %d failed\n", ran, failed);
  return failed == 0 && ran > 0 ? 0 : 1;
}
