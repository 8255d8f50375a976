// The self-test's tiny harness: named cases that register themselves, failures as exceptions, and the helpers every
// topic file needs (device arrays, reading the launch's error, checking a message's key words, the recovery check).
// selftest.cc runs the cases, each in its own child process, and prints `ok <name>` or `FAIL <name>: <why>`.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace selftest {

/** What a failed check throws; the runner prints `why` after the case's name. */
struct Failure {
  std::string why;
};

[[noreturn]] void fail(const std::string& why);

inline void check(bool condition, const std::string& why) {
  if (!condition) fail(why);
}

/** Concatenates anything an ostream can print: cat("got ", 3, ", expected ", 4). */
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

/** Requires `status` to be cudaSuccess; otherwise fails naming `what` and the runtime's explanation. */
void checkCuda(cudaError_t status, const std::string& what);

/**
 * Requires cudaGetLastError() to be `expected`, and the error to be cleared by reading it (a second call gives
 * cudaSuccess). Returns cudaGetErrorString(expected), read right away, while it still carries the simulator's detail.
 */
std::string takeLastError(cudaError_t expected, const std::string& what);

/** Requires every word to occur in `text`. */
void checkWords(const std::string& text, std::initializer_list<const char*> words, const std::string& what);

/**
 * takeLastError for a launch the simulator must reject, plus what every simulator diagnosis carries: the
 * "[CUDA simulator: kernel <name> (launched at <file>:…)" part naming the kernel, and the key words of the problem.
 */
std::string checkLaunchDiagnosis(cudaError_t expected, const char* kernelName, std::initializer_list<const char*> words);

/** A correct kernel (shared memory, __syncthreads, a shuffle) still runs and gives the right answer afterwards. */
void checkRecovers();

/** Device memory for `count` elements of T, freed when it goes out of scope. */
template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(size_t count) : count_(count) {
    checkCuda(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)), cat("cudaMalloc of ", count * sizeof(T), " bytes"));
  }
  explicit DeviceArray(const std::vector<T>& values) : DeviceArray(values.size()) { upload(values); }
  ~DeviceArray() { cudaFree(data_); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;

  T* get() const { return data_; }
  size_t size() const { return count_; }

  void upload(const std::vector<T>& values) {
    check(values.size() == count_, "upload of the wrong length");
    checkCuda(cudaMemcpy(data_, values.data(), count_ * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy host to device");
  }
  std::vector<T> download() const {
    std::vector<T> values(count_);
    checkCuda(cudaMemcpy(values.data(), data_, count_ * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy device to host");
    return values;
  }
  void fillBytes(int byte) { checkCuda(cudaMemset(data_, byte, count_ * sizeof(T)), "cudaMemset"); }

 private:
  T* data_ = nullptr;
  size_t count_;
};

/** Sets the simulator's seed (thread and block order) for the scope, and restores the previous one. */
class SeedScope {
 public:
  explicit SeedScope(unsigned long long seed);
  ~SeedScope();
  SeedScope(const SeedScope&) = delete;
  SeedScope& operator=(const SeedScope&) = delete;

 private:
  unsigned long long previous_;
};

using CaseBody = void (*)();

struct Case {
  const char* name;
  CaseBody body;
};

std::vector<Case>& registry();

struct Registration {
  Registration(const char* name, CaseBody body) { registry().push_back(Case{name, body}); }
};

}  // namespace selftest

// SELFTEST_CASE(functionName, "what it checks") { ...checks... }
#define SELFTEST_CASE(function, name)                                                     \
  static void function();                                                                 \
  static const ::selftest::Registration function##Registration{name, function};          \
  static void function()
