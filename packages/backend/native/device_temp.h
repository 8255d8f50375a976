// A temporary device buffer for staging strided transfers. It is allocated and freed in stream order when the device
// supports it, so work enqueued before the free (a gather, a memcpy) still sees valid memory and nothing synchronises.
#pragma once
#include <cstddef>

namespace puzzle {

class DeviceTemp {
 public:
  explicit DeviceTemp(size_t bytes);
  ~DeviceTemp();
  DeviceTemp(const DeviceTemp&) = delete;
  DeviceTemp& operator=(const DeviceTemp&) = delete;

  void* get() const { return ptr_; }

 private:
  void* ptr_ = nullptr;
  bool streamOrdered_ = false;
};

}  // namespace puzzle
