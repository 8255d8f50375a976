// Cooperative fibers for the simulated CUDA threads: each has its own stack, and control passes only by an explicit
// switch (at a barrier, a warp collective or the end of the thread), so the simulator decides every interleaving.
#pragma once
#include <cstddef>

namespace puzzle_sim {

class Fiber {
 public:
  using Entry = void (*)(Fiber* self);

  /** A fiber that will run `entry(this)` on its own stack when first resumed; `entry` must never return. */
  explicit Fiber(Entry entry);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  /** Runs the fiber from where it last suspended until it suspends again (called from the scheduler). */
  void resume();
  /** Returns to the scheduler; the next resume() continues after this call (called on the fiber). */
  void suspend();
  /** Forgets where the fiber stood: the next resume() starts `entry` afresh (after an aborted launch). */
  void restart();

  /** Whether `address` lies in the inaccessible page below this fiber's stack (where an overflow faults). */
  bool inGuardPage(const void* address) const;

 private:
  Entry entry_;
  char* mapping_;  // guard page + stack
  size_t guardBytes_;
  size_t mappingBytes_;
  void* stackPointer_ = nullptr;  // where the fiber's saved context is while it is suspended
  void* schedulerPointer_ = nullptr;

  static void start(Fiber* self);
};

}  // namespace puzzle_sim
