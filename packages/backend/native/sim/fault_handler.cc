// A fault inside a kernel ends the launch with cudaErrorIllegalAddress, as on a GPU, instead of the process:
// accesses past the end of simulated device memory (they land in the inaccessible page after each allocation; the
// message names the allocation), a fiber's stack overflowing into its guard page, and any other wild address. The
// handler runs on an alternate signal stack (an overflowed fiber stack has no room left) and abandons the thread's
// fiber. In the addon's host code a fault past an allocation is a bug of ours: the handler says what it was and
// aborts. Every other fault goes to the handler that was installed before (V8's, say) or to the default action.
#include <signal.h>
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "device_memory.h"
#include "sim_state.h"

namespace puzzle_sim {

namespace {

struct sigaction previous;

bool faultWasWrite(void* context) {
#if defined(__x86_64__)
  // Bit 1 of the page-fault error code: the access was a write.
  return (static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
  (void)context;
  return false;
#endif
}

void passOn(int signal, siginfo_t* info, void* context) {
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction) {
      previous.sa_sigaction(signal, info, context);
      return;
    }
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signal);
    return;
  }
  // Default action: uninstall and return, so that the faulting instruction runs again and ends the process.
  sigaction(SIGSEGV, &previous, nullptr);
}

std::string describeFault(const void* address, bool write) {
  std::string what = describeFenceFault(address, write);
  if (!what.empty()) return what;
  if (runningThreadStackGuard(address)) return "overflowed its fiber stack (deep recursion or a large local array)";
  char text[96];
  std::snprintf(text, sizeof text, "%s address %p, which is no device memory", write ? "wrote to" : "read from", address);
  return text;
}

void onFault(int signal, siginfo_t* info, void* context) {
  const bool write = faultWasWrite(context);
  if (kernelThreadRunning()) {
    const std::string what = describeFault(info->si_addr, write);
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    // The handler leaves by switching fibers, not by returning: let the next fault be delivered too.
    pthread_sigmask(SIG_UNBLOCK, &segv, nullptr);
    failRunningThread(cudaErrorIllegalAddress, what);
  }
  const std::string what = describeFenceFault(info->si_addr, write);
  if (what.empty()) {
    passOn(signal, info, context);
    return;
  }
  std::fprintf(stderr, "puzzle CUDA simulator: the addon's host code %s\n", what.c_str());
  std::abort();
}

/** An alternate signal stack for this thread, unless it has one: the handler must run when a fiber stack is full. */
void ensureAlternateStack() {
  stack_t existing{};
  if (sigaltstack(nullptr, &existing) == 0 && !(existing.ss_flags & SS_DISABLE)) return;
  static std::vector<char> memory(64 * 1024);
  stack_t mine{};
  mine.ss_sp = memory.data();
  mine.ss_size = memory.size();
  sigaltstack(&mine, nullptr);
}

}  // namespace

void installFaultHandler() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  ensureAlternateStack();
  struct sigaction action {};
  action.sa_sigaction = onFault;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &action, &previous);
}

}  // namespace puzzle_sim
