#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstdio>

// The context switch: pushes the callee-saved registers (and the SSE/x87 control words) on the current stack, stores
// the stack pointer into *from, loads `to`, pops the same set and returns into the other context. A new fiber's
// stack is prepared to look like a switch that left from puzzle_sim_fiber_trampoline.
extern "C" void puzzle_sim_switch(void** from, void* to);
extern "C" void puzzle_sim_fiber_trampoline();

#if defined(__x86_64__)
asm(R"(
  .text
  .p2align 4
  .globl puzzle_sim_switch
  .hidden puzzle_sim_switch
  .type puzzle_sim_switch, @function
puzzle_sim_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size puzzle_sim_switch, .-puzzle_sim_switch

  .p2align 4
  .globl puzzle_sim_fiber_trampoline
  .hidden puzzle_sim_fiber_trampoline
  .type puzzle_sim_fiber_trampoline, @function
puzzle_sim_fiber_trampoline:
  movq %r12, %rdi
  andq $-16, %rsp
  call *%r13
  ud2
  .size puzzle_sim_fiber_trampoline, .-puzzle_sim_fiber_trampoline
)");
#elif defined(__aarch64__)
asm(R"(
  .text
  .p2align 4
  .globl puzzle_sim_switch
  .hidden puzzle_sim_switch
  .type puzzle_sim_switch, %function
puzzle_sim_switch:
  sub sp, sp, #176
  stp x19, x20, [sp, #0]
  stp x21, x22, [sp, #16]
  stp x23, x24, [sp, #32]
  stp x25, x26, [sp, #48]
  stp x27, x28, [sp, #64]
  stp x29, x30, [sp, #80]
  stp d8, d9, [sp, #96]
  stp d10, d11, [sp, #112]
  stp d12, d13, [sp, #128]
  stp d14, d15, [sp, #144]
  mrs x9, fpcr
  str x9, [sp, #160]
  mov x9, sp
  str x9, [x0]
  mov sp, x1
  ldr x9, [sp, #160]
  msr fpcr, x9
  ldp x19, x20, [sp, #0]
  ldp x21, x22, [sp, #16]
  ldp x23, x24, [sp, #32]
  ldp x25, x26, [sp, #48]
  ldp x27, x28, [sp, #64]
  ldp x29, x30, [sp, #80]
  ldp d8, d9, [sp, #96]
  ldp d10, d11, [sp, #112]
  ldp d12, d13, [sp, #128]
  ldp d14, d15, [sp, #144]
  add sp, sp, #176
  ret
  .size puzzle_sim_switch, .-puzzle_sim_switch

  .p2align 4
  .globl puzzle_sim_fiber_trampoline
  .hidden puzzle_sim_fiber_trampoline
  .type puzzle_sim_fiber_trampoline, %function
puzzle_sim_fiber_trampoline:
  mov x0, x19
  blr x20
  brk #0
  .size puzzle_sim_fiber_trampoline, .-puzzle_sim_fiber_trampoline
)");
#else
#error "the CUDA simulator's fibers have a context switch for x86-64 and AArch64 only"
#endif

namespace puzzle_sim {

namespace {

// Kernels are shallow, but printf from a kernel while debugging needs a few KiB; pages are committed on first touch.
constexpr size_t kStackBytes = 256 * 1024;

}  // namespace

Fiber::Fiber(Entry entry) : entry_(entry) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  mappingBytes_ = kStackBytes + page;
  void* mapping = mmap(nullptr, mappingBytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED) {
    std::fprintf(stderr, "puzzle CUDA simulator: cannot map a fiber stack\n");
    std::abort();
  }
  mapping_ = static_cast<char*>(mapping);
  guardBytes_ = page;
  // A stack overflow hits this page and faults instead of silently corrupting the next fiber's stack.
  mprotect(mapping_, page, PROT_NONE);
  restart();
}

Fiber::~Fiber() { munmap(mapping_, mappingBytes_); }

void Fiber::start(Fiber* self) {
  self->entry_(self);
  std::fprintf(stderr, "puzzle CUDA simulator: a fiber's entry returned\n");
  std::abort();
}

void Fiber::restart() {
  auto* top = reinterpret_cast<uintptr_t*>(mapping_ + mappingBytes_);
#if defined(__x86_64__)
  // Popped by puzzle_sim_switch: control words, r15, r14, r13 (entry), r12 (argument), rbx, rbp, return address.
  uintptr_t* sp = top - 10;
  sp[0] = 0x037f00001f80ull;  // mxcsr 0x1f80 (low 4 bytes), x87 control word 0x037f (next 2)
  sp[1] = 0;                                                        // r15
  sp[2] = 0;                                                        // r14
  sp[3] = reinterpret_cast<uintptr_t>(&Fiber::start);               // r13
  sp[4] = reinterpret_cast<uintptr_t>(this);                        // r12
  sp[5] = 0;                                                        // rbx
  sp[6] = 0;                                                        // rbp
  sp[7] = reinterpret_cast<uintptr_t>(&puzzle_sim_fiber_trampoline);  // return address
  sp[8] = 0;
  sp[9] = 0;
#else
  // Loaded by puzzle_sim_switch: x19 (argument), x20 (entry), …, x30 (return address), d8–d15, fpcr.
  uintptr_t* sp = top - 24;
  for (int i = 0; i < 24; i++) sp[i] = 0;
  sp[0] = reinterpret_cast<uintptr_t>(this);
  sp[1] = reinterpret_cast<uintptr_t>(&Fiber::start);
  sp[11] = reinterpret_cast<uintptr_t>(&puzzle_sim_fiber_trampoline);
#endif
  stackPointer_ = sp;
}

bool Fiber::inGuardPage(const void* address) const {
  const char* p = static_cast<const char*>(address);
  return p >= mapping_ && p < mapping_ + guardBytes_;
}

void Fiber::resume() { puzzle_sim_switch(&schedulerPointer_, stackPointer_); }

void Fiber::suspend() { puzzle_sim_switch(&stackPointer_, schedulerPointer_); }

}  // namespace puzzle_sim
