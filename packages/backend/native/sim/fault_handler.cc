// Accesses past the end of simulated device memory land in the inaccessible page after each allocation and raise
// SIGSEGV. Inside a kernel the handler ends the launch with cudaErrorIllegalAddress, naming the kernel, the thread
// and the allocation, and abandons the thread's fiber (its stack, with this handler's frame, is simply reused).
// In the addon's host code the same fault is a bug of ours: the handler says what it was and aborts. Any other
// fault goes to the handler that was installed before (V8's, say) or to the default action.
#include <signal.h>
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <string>

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

void onFault(int signal, siginfo_t* info, void* context) {
  const bool write = faultWasWrite(context);
  const std::string what = describeFenceFault(info->si_addr, write);
  if (what.empty()) {
    passOn(signal, info, context);
    return;
  }
  if (kernelThreadRunning()) {
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    // The handler leaves by switching fibers, not by returning: let the next fault be delivered too.
    pthread_sigmask(SIG_UNBLOCK, &segv, nullptr);
    failRunningThread(cudaErrorIllegalAddress, what);
  }
  std::fprintf(stderr, "puzzle CUDA simulator: the addon's host code %s\n", what.c_str());
  std::abort();
}

}  // namespace

void installFaultHandler() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction action {};
  action.sa_sigaction = onFault;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, &previous);
}

}  // namespace puzzle_sim
