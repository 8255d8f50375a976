// The block scheduler: runs a launch's blocks one after another (in index order, or shuffled by the seed), each block's
// threads as fibers. A thread runs until it reaches __syncthreads, a warp collective or its end; when no thread can
// go on, the barrier is released if every thread of the block waits at the same one, and anything else is a
// divergence the simulator reports instead of hanging. A collective resolves when the last lane its mask names
// arrives, after checking that every such lane calls the same collective with the same mask.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "device_memory.h"
#include "fiber.h"
#include "puzzle_sim/device.h"
#include "puzzle_sim/launch.h"
#include "sim_state.h"

namespace puzzle_sim {

Coordinates current;

namespace {

constexpr unsigned kWarp = 32;
constexpr unsigned kMaxThreadsPerBlock = 1024;
constexpr size_t kDefaultSharedBytes = 48 * 1024;

enum class State : uint8_t { kNotStarted, kReady, kAtBarrier, kAtCollective, kDone };

struct SimThread {
  State state = State::kNotStarted;
  uint3 index{0, 0, 0};
  Fiber* fiber = nullptr;
  // Where the thread waits.
  const char* file = nullptr;
  int line = 0;
  // Its collective: what it deposited and what it gets back.
  Collective kind = Collective::kSyncWarp;
  unsigned mask = 0;
  uint64_t bits = 0;
  int arg = 0;
  int width = kWarp;
  uint64_t result = 0;
};

/** Per warp, which lanes wait at a collective, wait at __syncthreads, or have exited. */
struct WarpLanes {
  unsigned atCollective = 0;
  unsigned atBarrier = 0;
  unsigned exited = 0;
};

struct Block {
  const KernelLaunch* launch = nullptr;
  std::vector<SimThread> threads;
  std::vector<WarpLanes> warps;
  unsigned count = 0;
  unsigned alive = 0;
  unsigned atBarrier = 0;
  const SimThread* firstAtBarrier = nullptr;  // names the __syncthreads the others must reach
  // The threads to run in this pass, and those made ready during it (by a collective they were waiting for).
  std::vector<unsigned> ready;
  std::vector<unsigned> next;
  SimThread* running = nullptr;
  bool failed = false;
  std::string failure;
  cudaError_t failureCode = cudaSuccess;
  std::vector<unsigned char> dynamicShared;
};

Block block;
std::vector<Fiber*> idleFibers;

const char* collectiveName(Collective kind) {
  switch (kind) {
    case Collective::kShflIdx: return "__shfl_sync";
    case Collective::kShflUp: return "__shfl_up_sync";
    case Collective::kShflDown: return "__shfl_down_sync";
    case Collective::kShflXor: return "__shfl_xor_sync";
    case Collective::kBallot: return "__ballot_sync";
    case Collective::kAny: return "__any_sync";
    case Collective::kAll: return "__all_sync";
    case Collective::kSyncWarp: return "__syncwarp";
  }
  return "a warp collective";
}

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  char text[512];
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(text, sizeof text, pattern, args);
  va_end(args);
  return text;
}

/** "file.cu:12", without the directories. */
std::string site(const char* file, int line) {
  if (!file) return "?";
  const char* slash = std::strrchr(file, '/');
  return format("%s:%d", slash ? slash + 1 : file, line);
}

std::string threadName(const SimThread& t) {
  return format("thread (%u,%u,%u) of block (%u,%u,%u)", t.index.x, t.index.y, t.index.z, current.blockIdx.x,
                current.blockIdx.y, current.blockIdx.z);
}

unsigned linearIndex(const SimThread& t) { return static_cast<unsigned>(&t - block.threads.data()); }

void setFailure(cudaError_t code, const std::string& message) {
  block.failed = true;
  block.failureCode = code;
  block.failure = message;
}

/** Marks the launch failed; the running fiber never resumes (the scheduler restarts its fiber). */
[[noreturn]] void failOnFiber(cudaError_t code, const std::string& message) {
  setFailure(code, message);
  block.running->fiber->suspend();
  std::fprintf(stderr, "puzzle CUDA simulator: a failed thread was resumed\n");
  std::abort();
}

void threadMain(Fiber* self) {
  for (;;) {
    block.launch->body(block.launch->arguments);
    SimThread& t = *block.running;
    const unsigned linear = linearIndex(t);
    t.state = State::kDone;
    block.warps[linear / kWarp].exited |= 1u << (linear % kWarp);
    block.alive--;
    self->suspend();
  }
}

Fiber* takeFiber() {
  if (idleFibers.empty()) return new Fiber(threadMain);
  Fiber* f = idleFibers.back();
  idleFibers.pop_back();
  return f;
}

void resume(SimThread& t) {
  if (!t.fiber) t.fiber = takeFiber();
  t.state = State::kReady;
  current.threadIdx = t.index;
  block.running = &t;
  t.fiber->resume();
  block.running = nullptr;
  if (t.state == State::kDone) {
    idleFibers.push_back(t.fiber);
    t.fiber = nullptr;
  }
}

/** This lane's source lane for a shuffle, or the lane itself where the shuffle returns the caller's own value. */
unsigned sourceLane(const SimThread& t, unsigned lane) {
  const unsigned width = static_cast<unsigned>(t.width);
  const unsigned groupStart = lane & ~(width - 1);
  const unsigned arg = static_cast<unsigned>(t.arg);
  switch (t.kind) {
    case Collective::kShflIdx: return groupStart + (arg & (width - 1));
    case Collective::kShflUp: return (lane - groupStart) >= arg ? lane - arg : lane;
    case Collective::kShflDown: return (lane - groupStart) + arg < width ? lane + arg : lane;
    case Collective::kShflXor: {
      const unsigned source = lane ^ (arg & (kWarp - 1));
      return source < groupStart + width ? source : lane;
    }
    default: return lane;
  }
}

bool isShuffle(Collective kind) {
  return kind == Collective::kShflIdx || kind == Collective::kShflUp || kind == Collective::kShflDown ||
         kind == Collective::kShflXor;
}

bool sameCall(const SimThread& a, const SimThread& b) {
  return a.kind == b.kind && a.mask == b.mask && (a.kind == Collective::kSyncWarp || (a.file == b.file && a.line == b.line));
}

/** Every lane of the mask has arrived at the caller's collective: compute each one's result, let the others go on. */
void resolveCollective(unsigned warpBase, const SimThread& caller) {
  const unsigned mask = caller.mask;
  uint64_t ballot = 0;
  for (unsigned lane = 0; lane < kWarp; lane++) {
    if ((mask >> lane) & 1u) ballot |= (block.threads[warpBase + lane].bits != 0 ? 1ull : 0ull) << lane;
  }
  for (unsigned lane = 0; lane < kWarp; lane++) {
    if (!((mask >> lane) & 1u)) continue;
    SimThread& t = block.threads[warpBase + lane];
    switch (caller.kind) {
      case Collective::kBallot: t.result = ballot; break;
      case Collective::kAny: t.result = ballot != 0; break;
      case Collective::kAll: t.result = ballot == mask; break;
      case Collective::kSyncWarp: t.result = 0; break;
      default: {
        const unsigned source = sourceLane(t, lane);
        if (!((mask >> source) & 1u)) {
          failOnFiber(cudaErrorLaunchFailure,
                      format("%s at %s: lane %u reads lane %u, which the mask 0x%08x leaves out (its value is undefined)",
                             collectiveName(t.kind), site(t.file, t.line).c_str(), lane, source, mask));
        }
        t.result = block.threads[warpBase + source].bits;
      }
    }
  }
  block.warps[warpBase / kWarp].atCollective &= ~mask;
  for (unsigned lane = 0; lane < kWarp; lane++) {
    if (!((mask >> lane) & 1u)) continue;
    SimThread& t = block.threads[warpBase + lane];
    t.state = State::kReady;
    if (&t != block.running) block.next.push_back(warpBase + lane);
  }
}

std::string describeWaiting(const SimThread& t) {
  switch (t.state) {
    case State::kDone: return "has exited";
    case State::kAtBarrier: return "waits at __syncthreads (" + site(t.file, t.line) + ")";
    case State::kAtCollective:
      return format("waits at %s (%s) with mask 0x%08x", collectiveName(t.kind), site(t.file, t.line).c_str(), t.mask);
    default: return "has not arrived yet";
  }
}

/** Runs passes until no thread is ready; returns false when the block failed. */
bool runReadyThreads() {
  const bool shuffled = seed() != 0;
  while (!block.ready.empty()) {
    if (shuffled) {
      for (size_t i = block.ready.size() - 1; i > 0; i--) std::swap(block.ready[i], block.ready[nextRandom() % (i + 1)]);
    }
    for (unsigned i : block.ready) {
      resume(block.threads[i]);
      if (block.failed) return false;
    }
    block.ready.swap(block.next);
    block.next.clear();
  }
  return true;
}

/** No thread can run: release the barrier every live thread waits at, or explain why the block is stuck. */
bool releaseBarrier() {
  for (const SimThread& t : block.threads) {
    if (t.state != State::kAtCollective) continue;
    const unsigned base = linearIndex(t) / kWarp * kWarp;
    std::string missing = "the collective never completes";
    for (unsigned lane = 0; lane < kWarp; lane++) {
      if (!((t.mask >> lane) & 1u) || base + lane >= block.count) continue;
      const SimThread& other = block.threads[base + lane];
      if (other.state == State::kAtCollective && sameCall(other, t)) continue;
      missing = format("lane %u ", lane) + describeWaiting(other);
      break;
    }
    setFailure(cudaErrorLaunchFailure, format("deadlock: %s waits at %s (%s) with mask 0x%08x, but %s", threadName(t).c_str(),
                                              collectiveName(t.kind), site(t.file, t.line).c_str(), t.mask, missing.c_str()));
    return false;
  }
  if (block.alive < block.count) {
    const SimThread* waiting = nullptr;
    const SimThread* exited = nullptr;
    for (const SimThread& t : block.threads) {
      if (!waiting && t.state == State::kAtBarrier) waiting = &t;
      if (!exited && t.state == State::kDone) exited = &t;
    }
    setFailure(cudaErrorLaunchFailure,
               format("__syncthreads at %s is reached by %u of the block's %u threads: %s has already exited",
                      site(waiting->file, waiting->line).c_str(), block.atBarrier, block.count, threadName(*exited).c_str()));
    return false;
  }
  block.atBarrier = 0;
  block.firstAtBarrier = nullptr;
  for (WarpLanes& w : block.warps) w.atBarrier = 0;
  for (unsigned i = 0; i < block.count; i++) {
    block.threads[i].state = State::kReady;
    block.ready.push_back(i);
  }
  return true;
}

void runBlock() {
  const unsigned x = block.launch->block.x;
  const unsigned y = block.launch->block.y;
  block.ready.clear();
  block.next.clear();
  for (unsigned i = 0; i < block.count; i++) {
    SimThread& t = block.threads[i];
    t.state = State::kNotStarted;
    t.index = uint3{i % x, (i / x) % y, i / (x * y)};
    block.ready.push_back(i);
  }
  for (WarpLanes& w : block.warps) w = WarpLanes{};
  block.alive = block.count;
  block.atBarrier = 0;
  block.firstAtBarrier = nullptr;
  if (!block.dynamicShared.empty()) std::fill(block.dynamicShared.begin(), block.dynamicShared.end(), 0xff);
  for (;;) {
    if (!runReadyThreads()) return;
    if (block.alive == 0) return;
    if (!releaseBarrier()) return;
  }
}

/** Fibers of threads a failure left half-way start afresh next time. */
void recycleFibers() {
  for (SimThread& t : block.threads) {
    if (!t.fiber) continue;
    t.fiber->restart();
    idleFibers.push_back(t.fiber);
    t.fiber = nullptr;
  }
}

/** The launch configuration checks of the runtime; an empty string when the launch may run. */
std::string configurationError(const KernelLaunch& l, cudaError_t& code) {
  code = cudaErrorInvalidConfiguration;
  const dim3 g = l.grid;
  const dim3 b = l.block;
  if (g.x == 0 || g.y == 0 || g.z == 0 || b.x == 0 || b.y == 0 || b.z == 0) {
    return format("grid (%u,%u,%u) or block (%u,%u,%u) has a zero extent", g.x, g.y, g.z, b.x, b.y, b.z);
  }
  const uint64_t threads = static_cast<uint64_t>(b.x) * b.y * b.z;
  if (b.x > 1024 || b.y > 1024 || b.z > 64 || threads > kMaxThreadsPerBlock) {
    return format("block (%u,%u,%u) has %llu threads; at most 1024, with x, y ≤ 1024 and z ≤ 64", b.x, b.y, b.z,
                  static_cast<unsigned long long>(threads));
  }
  if (g.x > 2147483647u || g.y > 65535u || g.z > 65535u) {
    return format("grid (%u,%u,%u) exceeds x ≤ 2^31 − 1, y ≤ 65535, z ≤ 65535", g.x, g.y, g.z);
  }
  const size_t allowed = dynamicSharedLimit(l.function);
  if (l.sharedBytes > allowed) {
    code = cudaErrorInvalidValue;
    return format("%zu bytes of dynamic shared memory exceed the %zu a block may have%s", l.sharedBytes, allowed,
                  allowed == kDefaultSharedBytes ? " without cudaFuncSetAttribute" : "");
  }
  return {};
}

}  // namespace

void blockBarrier(const char* file, int line) {
  SimThread& t = *block.running;
  // Every thread of the block must meet at one __syncthreads; the first to arrive names it.
  const SimThread* first = block.firstAtBarrier;
  if (!first) {
    block.firstAtBarrier = &t;
  } else if (first->file != file || first->line != line) {
    failOnFiber(cudaErrorLaunchFailure, format("divergent __syncthreads: %s waits at %s, %s at %s", threadName(*first).c_str(),
                                               site(first->file, first->line).c_str(), threadName(t).c_str(),
                                               site(file, line).c_str()));
  }
  const unsigned linear = linearIndex(t);
  block.warps[linear / kWarp].atBarrier |= 1u << (linear % kWarp);
  block.atBarrier++;
  t.state = State::kAtBarrier;
  t.file = file;
  t.line = line;
  t.fiber->suspend();
}

uint64_t warpCollective(Collective kind, unsigned mask, uint64_t bits, int arg, int width, const char* file, int line) {
  SimThread& t = *block.running;
  const unsigned linear = linearIndex(t);
  const unsigned lane = linear % kWarp;
  const unsigned warpBase = linear - lane;
  WarpLanes& warp = block.warps[linear / kWarp];
  const char* name = collectiveName(kind);
  if (isShuffle(kind) && (width < 1 || width > 32 || (width & (width - 1)) != 0)) {
    failOnFiber(cudaErrorLaunchFailure, format("%s at %s: width %d is not a power of 2 from 1 to 32", name,
                                               site(file, line).c_str(), width));
  }
  if (!((mask >> lane) & 1u)) {
    failOnFiber(cudaErrorLaunchFailure, format("%s at %s: %s (lane %u) passes mask 0x%08x, which leaves itself out", name,
                                               site(file, line).c_str(), threadName(t).c_str(), lane, mask));
  }
  const unsigned lanesHere = std::min(kWarp, block.count - warpBase);
  if (lanesHere < kWarp && (mask >> lanesHere) != 0) {
    failOnFiber(cudaErrorLaunchFailure,
                format("%s at %s: mask 0x%08x names lanes %u and up, which a block of %u threads does not have", name,
                       site(file, line).c_str(), mask, lanesHere, block.count));
  }
  const unsigned gone = mask & (warp.exited | warp.atBarrier);
  if (gone) {
    const unsigned other = static_cast<unsigned>(__builtin_ctz(gone));
    failOnFiber(cudaErrorLaunchFailure, format("%s at %s with mask 0x%08x: lane %u waits for lane %u, which %s", name,
                                               site(file, line).c_str(), mask, lane, other,
                                               describeWaiting(block.threads[warpBase + other]).c_str()));
  }
  t.state = State::kAtCollective;
  t.kind = kind;
  t.mask = mask;
  t.bits = bits;
  t.arg = arg;
  t.width = width;
  t.file = file;
  t.line = line;
  warp.atCollective |= 1u << lane;
  bool complete = (warp.atCollective & mask) == mask;
  if (complete) {
    for (unsigned other = 0; other < kWarp; other++) {
      if (!((mask >> other) & 1u) || other == lane) continue;
      const SimThread& o = block.threads[warpBase + other];
      if (sameCall(o, t)) continue;
      if ((o.mask >> lane) & 1u) {
        failOnFiber(cudaErrorLaunchFailure,
                    format("lanes %u and %u of a warp wait for each other at different collectives: %s at %s (mask 0x%08x) "
                           "and %s at %s (mask 0x%08x)",
                           lane, other, name, site(file, line).c_str(), mask, collectiveName(o.kind),
                           site(o.file, o.line).c_str(), o.mask));
      }
      complete = false;  // that lane waits for others first
    }
  }
  if (complete) resolveCollective(warpBase, t);
  else t.fiber->suspend();
  return t.result;
}

unsigned activeLanes() {
  const SimThread& t = *block.running;
  const unsigned warpBase = linearIndex(t) / kWarp * kWarp;
  unsigned lanes = 0;
  for (unsigned lane = 0; lane < kWarp && warpBase + lane < block.count; lane++) {
    if (block.threads[warpBase + lane].state != State::kDone) lanes |= 1u << lane;
  }
  return lanes;
}

void trap(const char* file, int line, const char* what) {
  failOnFiber(cudaErrorLaunchFailure, format("%s at %s by %s", what, site(file, line).c_str(), threadName(*block.running).c_str()));
}

void* dynamicShared() { return block.dynamicShared.empty() ? nullptr : block.dynamicShared.data(); }

bool kernelThreadRunning() { return block.running != nullptr; }

bool runningThreadStackGuard(const void* address) {
  return block.running && block.running->fiber && block.running->fiber->inGuardPage(address);
}

void failRunningThread(cudaError_t code, const std::string& what) {
  failOnFiber(code, threadName(*block.running) + " " + what);
}

void runKernel(const KernelLaunch& launch) {
  cudaError_t code;
  const std::string invalid = configurationError(launch, code);
  const std::string where = format("%s (launched at %s)", launch.name, site(launch.file, launch.line).c_str());
  if (!invalid.empty()) {
    recordError(code, "launch of " + where + ": " + invalid);
    return;
  }
  installFaultHandler();  // a kernel may fault before any allocation exists (a null pointer, say)
  Counters& c = counters();
  c.launches++;
  block.launch = &launch;
  block.count = launch.block.x * launch.block.y * launch.block.z;
  block.threads.assign(block.count, SimThread{});
  block.warps.assign((block.count + kWarp - 1) / kWarp, WarpLanes{});
  block.failed = false;
  block.dynamicShared.assign(launch.sharedBytes, 0xff);
  current.blockDim = launch.block;
  current.gridDim = launch.grid;

  const uint64_t blocks = static_cast<uint64_t>(launch.grid.x) * launch.grid.y * launch.grid.z;
  std::vector<uint64_t> blockOrder(blocks);
  for (uint64_t i = 0; i < blocks; i++) blockOrder[i] = i;
  if (seed() != 0) {
    for (uint64_t i = blocks - 1; i > 0; i--) std::swap(blockOrder[i], blockOrder[nextRandom() % (i + 1)]);
  }
  for (uint64_t b : blockOrder) {
    current.blockIdx = uint3{static_cast<unsigned>(b % launch.grid.x), static_cast<unsigned>(b / launch.grid.x % launch.grid.y),
                             static_cast<unsigned>(b / (static_cast<uint64_t>(launch.grid.x) * launch.grid.y))};
    runBlock();
    c.blocks++;
    c.threads += block.count;
    if (block.failed) break;
  }
  block.launch = nullptr;
  // Guards are checked whatever the outcome: an overrun before a failure must not be blamed on the next launch.
  const std::string overrun = checkGuards();
  if (block.failed) {
    recycleFibers();
    const std::string also = overrun.empty() ? "" : "; before that, it " + overrun;
    recordError(block.failureCode, "kernel " + where + ": " + block.failure + also);
    return;
  }
  if (!overrun.empty()) recordError(cudaErrorIllegalAddress, "kernel " + where + " " + overrun);
}

}  // namespace puzzle_sim
