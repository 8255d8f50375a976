// The `simulator` object that only puzzle_cuda_sim.node exports: the seed that orders threads and blocks, the
// counters of simulated work (tests use them to run a kernel under two orders and to see that work was done), and a
// device-count failure to inject (tests of the probe's wording).
#include "../entries.h"
#include "sim_state.h"

namespace puzzle {

namespace {

napi_value setSeed(const Args& args) {
  puzzle_sim::setSeed(static_cast<uint64_t>(args.count(0)));
  return undefinedValue(args.env());
}

napi_value getSeed(const Args& args) { return numberValue(args.env(), static_cast<double>(puzzle_sim::seed())); }

napi_value counters(const Args& args) {
  napi_env env = args.env();
  const puzzle_sim::Counters& c = puzzle_sim::counters();
  napi_value result;
  napi_create_object(env, &result);
  setProperty(env, result, "launches", numberValue(env, static_cast<double>(c.launches)));
  setProperty(env, result, "blocks", numberValue(env, static_cast<double>(c.blocks)));
  setProperty(env, result, "threads", numberValue(env, static_cast<double>(c.threads)));
  setProperty(env, result, "gemms", numberValue(env, static_cast<double>(c.gemms)));
  return result;
}

napi_value failNextDeviceCount(const Args& args) {
  puzzle_sim::failNextDeviceCount(static_cast<cudaError_t>(args.count(0)));
  return undefinedValue(args.env());
}

}  // namespace

void registerSimulatorEntries(napi_env env, napi_value exports) {
  napi_value simulator;
  napi_create_object(env, &simulator);
  defineFunction(env, simulator, "setSeed", entry<setSeed>);
  defineFunction(env, simulator, "seed", entry<getSeed>);
  defineFunction(env, simulator, "counters", entry<counters>);
  defineFunction(env, simulator, "failNextDeviceCount", entry<failNextDeviceCount>);
  setProperty(env, exports, "simulator", simulator);
}

}  // namespace puzzle
