#include "device_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>

namespace puzzle_sim {

namespace {

constexpr size_t kGuardBytes = 256;
// Allocations end 0 to 15 bytes before an inaccessible page, so that reading or writing past the end faults at once
// (fault_handler.cc turns that into the launch's error). The price: 16-byte alignment instead of cudaMalloc's 256,
// which only matters to vector loads, which our kernels do not use.
constexpr size_t kAlignment = 16;
// A float32 and float16 NaN that no kernel computes by accident, so an overrun is told from a legitimate write.
constexpr unsigned char kGuardPattern[4] = {0xa5, 0x7f, 0xa5, 0x7f};
// What the simulated device reports as its memory; allocations beyond it fail as out of memory.
constexpr size_t kCapacity = size_t{16} << 30;

struct Allocation {
  size_t bytes;
  size_t paddedBytes;  // bytes rounded up to kAlignment: the inaccessible page starts here
  unsigned char* mapping;
  size_t mappingBytes;
};

std::map<uintptr_t, Allocation>& live() {
  static std::map<uintptr_t, Allocation> allocations;
  return allocations;
}
size_t inUse = 0;

/** The guard pattern over `count` bytes at `at`, starting at byte `phase` of the pattern. */
void fillGuard(unsigned char* at, size_t count = kGuardBytes, size_t phase = 0) {
  for (size_t i = 0; i < count; i++) at[i] = kGuardPattern[(phase + i) % 4];
}

/** The first byte of `count` guard bytes that differs from the pattern, or count. */
size_t firstDamaged(const unsigned char* at, size_t count = kGuardBytes, size_t phase = 0) {
  for (size_t i = 0; i < count; i++) {
    if (at[i] != kGuardPattern[(phase + i) % 4]) return i;
  }
  return count;
}

/** The last byte of `count` guard bytes that differs from the pattern, or count. */
size_t lastDamaged(const unsigned char* at, size_t count, size_t phase) {
  for (size_t i = count; i-- > 0;) {
    if (at[i] != kGuardPattern[(phase + i) % 4]) return i;
  }
  return count;
}

size_t pageBytes() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

/** The live allocation whose guarded span holds `p`, or live().end(). */
std::map<uintptr_t, Allocation>::const_iterator containing(uintptr_t p, bool withGuards) {
  auto& all = live();
  auto it = all.upper_bound(p + (withGuards ? kGuardBytes : 0));
  if (it == all.begin()) return all.end();
  --it;
  const uintptr_t start = it->first - (withGuards ? kGuardBytes : 0);
  const uintptr_t end = it->first + (withGuards ? it->second.paddedBytes : it->second.bytes);
  return p >= start && p < end ? it : all.end();
}

std::string hex(uintptr_t p) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(p));
  return text;
}

}  // namespace

bool deviceAllocate(size_t bytes, void** out) {
  *out = nullptr;
  if (bytes == 0) return true;
  if (bytes > kCapacity - inUse) return false;
  const size_t page = pageBytes();
  const size_t padded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  const size_t mappingBytes = (kGuardBytes + padded + page - 1) / page * page + page;
  void* mapping = mmap(nullptr, mappingBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED) return false;
  auto* raw = static_cast<unsigned char*>(mapping);
  unsigned char* fence = raw + mappingBytes - page;
  mprotect(fence, page, PROT_NONE);
  installFaultHandler();
  unsigned char* user = fence - padded;
  fillGuard(user - kGuardBytes);
  std::memset(user, kFreshByte, bytes);
  fillGuard(user + bytes, padded - bytes, bytes);
  live().emplace(reinterpret_cast<uintptr_t>(user), Allocation{bytes, padded, raw, mappingBytes});
  inUse += bytes;
  *out = user;
  return true;
}

bool deviceFree(void* ptr) {
  auto& all = live();
  auto it = all.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == all.end()) return false;
  inUse -= it->second.bytes;
  munmap(it->second.mapping, it->second.mappingBytes);
  all.erase(it);
  return true;
}

size_t deviceBytesInUse() { return inUse; }
size_t deviceCapacity() { return kCapacity; }

std::string checkDeviceRange(const void* ptr, size_t bytes, const char* what) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  auto it = containing(p, false);
  if (it == live().end()) {
    auto near = containing(p, true);
    if (near != live().end()) {
      const long long offset = static_cast<long long>(p) - static_cast<long long>(near->first);
      return std::string(what) + " " + hex(p) + " is outside the " + std::to_string(near->second.bytes) +
             "-byte allocation at " + hex(near->first) + " (offset " + std::to_string(offset) + ")";
    }
    return std::string(what) + " " + hex(p) + " is not in any live device allocation";
  }
  const uintptr_t end = it->first + it->second.bytes;
  if (bytes > end - p) {
    return std::string(what) + " [" + hex(p) + ", +" + std::to_string(bytes) + ") runs " + std::to_string(bytes - (end - p)) +
           " bytes past the end of the " + std::to_string(it->second.bytes) + "-byte allocation at " + hex(it->first);
  }
  return {};
}

bool touchesDeviceMemory(const void* ptr, size_t bytes) {
  if (bytes == 0) return false;
  const uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  auto& all = live();
  auto it = all.upper_bound(p + bytes - 1 + kGuardBytes);
  if (it == all.begin()) return false;
  --it;
  return it->first + it->second.paddedBytes > p;
}

std::string checkGuards() {
  for (const auto& [user, a] : live()) {
    unsigned char* before = reinterpret_cast<unsigned char*>(user) - kGuardBytes;
    unsigned char* slack = reinterpret_cast<unsigned char*>(user) + a.bytes;
    const size_t slackBytes = a.paddedBytes - a.bytes;
    const size_t low = firstDamaged(before);
    const size_t high = lastDamaged(slack, slackBytes, a.bytes);
    if (low == kGuardBytes && high == slackBytes) continue;
    std::string text;
    if (low != kGuardBytes) {
      text = "wrote before the start of the " + std::to_string(a.bytes) + "-byte allocation at " + hex(user) +
             " (from offset -" + std::to_string(kGuardBytes - low) + ")";
    } else {
      text = "wrote past the end of the " + std::to_string(a.bytes) + "-byte allocation at " + hex(user) +
             " (up to offset +" + std::to_string(a.bytes + high + 1) + ")";
    }
    fillGuard(before);
    fillGuard(slack, slackBytes, a.bytes);
    return text;
  }
  return {};
}

std::string describeFenceFault(const void* address, bool write) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(address);
  auto& all = live();
  auto it = all.upper_bound(p);
  if (it == all.begin()) return {};
  --it;
  const uintptr_t fence = it->first + it->second.paddedBytes;
  if (p < fence || p >= fence + pageBytes()) return {};
  return std::string(write ? "wrote" : "read") + " past the end of the " + std::to_string(it->second.bytes) +
         "-byte allocation at " + hex(it->first) + " (offset +" + std::to_string(p - it->first) + ")";
}

}  // namespace puzzle_sim
