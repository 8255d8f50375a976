// Simulated device memory: host mappings that end at an inaccessible page, with guard bytes before the start and in
// the padding to 16 bytes, and fresh contents set to a NaN pattern;
// a registry of the live ones, and the range checks the runtime and the cuBLAS simulator apply to device pointers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace puzzle_sim {

/** Every byte of a new allocation: NaN as float16, float32 and float64, −1 as an integer. */
constexpr unsigned char kFreshByte = 0xff;

/** Allocates `bytes` of device memory (nullptr for 0 bytes, as cudaMalloc); false when the simulated device is full. */
bool deviceAllocate(size_t bytes, void** out);
/** False when `ptr` is not the start of a live allocation. */
bool deviceFree(void* ptr);
size_t deviceBytesInUse();
size_t deviceCapacity();

/** Empty when [ptr, ptr + bytes) lies inside one live allocation, else what is wrong with it, naming `what`. */
std::string checkDeviceRange(const void* ptr, size_t bytes, const char* what);
/** Whether any byte of [ptr, ptr + bytes) belongs to a live device allocation or its guards. */
bool touchesDeviceMemory(const void* ptr, size_t bytes);

/**
 * Verifies the guard bytes of every live allocation; empty when all are intact, else a description of the first
 * overrun found ("wrote N bytes before/past …"). The guards are restored, so one overrun is reported once.
 */
std::string checkGuards();

/**
 * What a fault at `address` means when it lies in the inaccessible page after an allocation ("read past the end of
 * …"); empty when the address is not the simulator's.
 */
std::string describeFenceFault(const void* address, bool write);

/** Installs (once) the SIGSEGV handler that reports accesses past the end of device memory (fault_handler.cc). */
void installFaultHandler();

}  // namespace puzzle_sim
