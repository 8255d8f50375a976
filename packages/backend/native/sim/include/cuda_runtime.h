// The simulator's cuda_runtime.h: the runtime API, the device-side built-ins and the launch helper, for .cu files
// compiled as C++ by the host compiler (native/sim, built by tools/native/build.mjs as puzzle_cuda_sim.node).
#pragma once
#include "cuda_runtime_api.h"
#include "puzzle_sim/device.h"
#include "puzzle_sim/launch.h"
