// Device-side CUDA for kernels compiled as host C++: the qualifiers, the built-in coordinates of the running thread,
// __syncthreads, the warp collectives (masks checked), atomics, fences and the intrinsics our kernels call. Each
// simulated thread runs on its own fiber; barriers and collectives hand control back to the block scheduler
// (native/sim/scheduler.cc), which resumes the threads once every participant has arrived.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "bits.h"
#include "vector_types.h"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// Blocks run one at a time and a block's threads share one OS thread, so a function-local static is exactly one
// block's shared variable. Its contents carry over from the previous block, as unspecified as on a GPU.
#define __shared__ static
#define __constant__ static

namespace puzzle_sim {

/** The coordinates of the simulated thread that runs now; the scheduler sets them before resuming a thread. */
struct Coordinates {
  uint3 threadIdx;
  uint3 blockIdx;
  dim3 blockDim;
  dim3 gridDim;
};
extern Coordinates current;

/** The warp-wide operations; each resolves once every lane its mask names has arrived at the same call. */
enum class Collective { kShflIdx, kShflUp, kShflDown, kShflXor, kBallot, kAny, kAll, kSyncWarp };

void blockBarrier(const char* file, int line);

/**
 * Other threads run while this one waits at a barrier or a collective: nothing it read from memory before may be
 * kept in a register past that point. The calls are opaque already; the fence says so to the optimiser outright,
 * for function-local statics (our __shared__) as for everything else.
 */
inline void otherThreadsRan() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
/** Deposits `bits` (a shuffle's value or a vote's predicate), waits for the mask's lanes, returns this lane's result. */
uint64_t warpCollective(Collective kind, unsigned mask, uint64_t bits, int arg, int width, const char* file, int line);
/** The lanes of the calling thread's warp that have not exited. */
unsigned activeLanes();
[[noreturn]] void trap(const char* file, int line, const char* what);
/** A launch's dynamic shared memory (the third launch parameter), fresh per block. */
void* dynamicShared();

template <typename T>
T shuffle(Collective kind, const char* file, int line, unsigned mask, T value, int arg, int width = 32) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "warp shuffles move values of at most 8 bytes");
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  bits = warpCollective(kind, mask, bits, arg, width, file, line);
  otherThreadsRan();
  T result;
  std::memcpy(&result, &bits, sizeof(T));
  return result;
}

}  // namespace puzzle_sim

// The built-in variables, read-only as in CUDA.
inline const uint3& threadIdx = puzzle_sim::current.threadIdx;
inline const uint3& blockIdx = puzzle_sim::current.blockIdx;
inline const dim3& blockDim = puzzle_sim::current.blockDim;
inline const dim3& gridDim = puzzle_sim::current.gridDim;
constexpr int warpSize = 32;

// Call sites travel with every synchronisation, so that a divergent barrier or a mismatched shuffle names its line.
#define __syncthreads() (::puzzle_sim::blockBarrier(__FILE__, __LINE__), ::puzzle_sim::otherThreadsRan())
// __syncwarp() and __syncwarp(mask): the site first, then the optional mask, without an empty-argument comma.
#define __syncwarp(...) ::puzzle_sim::SyncWarp{__FILE__, __LINE__}(__VA_ARGS__)
#define __shfl_sync(...) ::puzzle_sim::shuffle(::puzzle_sim::Collective::kShflIdx, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_up_sync(...) ::puzzle_sim::shuffle(::puzzle_sim::Collective::kShflUp, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_down_sync(...) ::puzzle_sim::shuffle(::puzzle_sim::Collective::kShflDown, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_xor_sync(...) ::puzzle_sim::shuffle(::puzzle_sim::Collective::kShflXor, __FILE__, __LINE__, __VA_ARGS__)
#define __ballot_sync(mask, predicate) ::puzzle_sim::vote(::puzzle_sim::Collective::kBallot, __FILE__, __LINE__, mask, predicate)
#define __any_sync(mask, predicate) static_cast<int>(::puzzle_sim::vote(::puzzle_sim::Collective::kAny, __FILE__, __LINE__, mask, predicate))
#define __all_sync(mask, predicate) static_cast<int>(::puzzle_sim::vote(::puzzle_sim::Collective::kAll, __FILE__, __LINE__, mask, predicate))
#define __trap() ::puzzle_sim::trap(__FILE__, __LINE__, "__trap()")

namespace puzzle_sim {

struct SyncWarp {
  const char* file;
  int line;
  void operator()(unsigned mask = 0xffffffffu) const {
    warpCollective(Collective::kSyncWarp, mask, 0, 0, 32, file, line);
    otherThreadsRan();
  }
};

inline unsigned vote(Collective kind, const char* file, int line, unsigned mask, bool predicate) {
  const auto result = static_cast<unsigned>(warpCollective(kind, mask, predicate ? 1 : 0, 0, 32, file, line));
  otherThreadsRan();
  return result;
}

}  // namespace puzzle_sim

inline unsigned __activemask() { return puzzle_sim::activeLanes(); }

// Memory ordering: blocks and their threads never run at the same time here, so a fence only has to stop the compiler.
inline void __threadfence() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_system() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }

// Atomics: a simulated thread runs alone until its next barrier or collective, so a plain read-modify-write is atomic.
namespace puzzle_sim {
template <typename T, typename Update>
inline T readModifyWrite(T* address, Update update) {
  const T old = *address;
  *address = update(old);
  return old;
}
}  // namespace puzzle_sim

template <typename T>
inline T atomicAdd(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return old + value; }); }
template <typename T>
inline T atomicSub(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return old - value; }); }
template <typename T>
inline T atomicExch(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T) { return value; }); }
template <typename T>
inline T atomicMin(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return value < old ? value : old; }); }
template <typename T>
inline T atomicMax(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return value > old ? value : old; }); }
template <typename T>
inline T atomicCAS(T* address, T compare, T value) {
  return puzzle_sim::readModifyWrite(address, [=](T old) { return old == compare ? value : old; });
}
template <typename T>
inline T atomicAnd(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return old & value; }); }
template <typename T>
inline T atomicOr(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return old | value; }); }
template <typename T>
inline T atomicXor(T* address, T value) { return puzzle_sim::readModifyWrite(address, [=](T old) { return old ^ value; }); }
/** ((old >= limit) ? 0 : old + 1), as the device computes it. */
inline unsigned atomicInc(unsigned* address, unsigned limit) {
  return puzzle_sim::readModifyWrite(address, [=](unsigned old) { return old >= limit ? 0u : old + 1u; });
}
/** (((old == 0) || (old > limit)) ? limit : old − 1). */
inline unsigned atomicDec(unsigned* address, unsigned limit) {
  return puzzle_sim::readModifyWrite(address, [=](unsigned old) { return (old == 0u || old > limit) ? limit : old - 1u; });
}

// Intrinsics. The fast-math ones compute the accurate function: the simulator checks logic, not last-bit numerics.
inline unsigned __umulhi(unsigned a, unsigned b) { return static_cast<unsigned>((static_cast<uint64_t>(a) * b) >> 32); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
  return static_cast<unsigned long long>((static_cast<unsigned __int128>(a) * b) >> 64);
}
inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<int64_t>(a) * b) >> 32); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline unsigned __brev(unsigned x) {
  unsigned r = 0;
  for (int i = 0; i < 32; i++) r |= ((x >> i) & 1u) << (31 - i);
  return r;
}
/** float → int rounding toward zero, saturating at the int range, NaN → 0 (cvt.rzi.s32.f32). */
inline int __float2int_rz(float v) {
  if (std::isnan(v)) return 0;
  if (v >= 2147483648.f) return 2147483647;
  if (v <= -2147483648.f) return -2147483647 - 1;
  return static_cast<int>(v);
}
inline int __float2int_rn(float v) {
  if (std::isnan(v)) return 0;
  if (v >= 2147483648.f) return 2147483647;
  if (v <= -2147483648.f) return -2147483647 - 1;
  return static_cast<int>(std::nearbyint(v));
}
inline float __int_as_float(int v) { return puzzle_sim::bitCast<float>(v); }
inline int __float_as_int(float v) { return puzzle_sim::bitCast<int>(v); }
inline float __uint_as_float(unsigned v) { return puzzle_sim::bitCast<float>(v); }
inline unsigned __float_as_uint(float v) { return puzzle_sim::bitCast<unsigned>(v); }
inline double __longlong_as_double(long long v) { return puzzle_sim::bitCast<double>(v); }
inline long long __double_as_longlong(double v) { return puzzle_sim::bitCast<long long>(v); }
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float x) { return std::isnan(x) ? 0.f : (x < 0.f ? 0.f : (x > 1.f ? 1.f : x)); }
/** sin(πx) and cos(πx), exact at the integers and half-integers as on the device. */
inline void sincospif(float x, float* s, float* c) {
  const double reduced = std::remainder(static_cast<double>(x), 2.0);  // in [-1, 1], exact
  constexpr double kPi = 3.14159265358979323846;
  *s = static_cast<float>(std::sin(kPi * reduced));
  *c = static_cast<float>(std::cos(kPi * reduced));
  if (reduced == 1.0 || reduced == -1.0) *s = 0.f;
  if (reduced == 0.5 || reduced == -0.5) *c = 0.f;
}
inline float sinpif(float x) {
  float s, c;
  sincospif(x, &s, &c);
  return s;
}
inline float cospif(float x) {
  float s, c;
  sincospif(x, &s, &c);
  return c;
}

using std::erff;
using std::expm1f;
using std::log1pf;
using std::nextafterf;

inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
