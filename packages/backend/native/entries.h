// Each *_entries.cc file registers its JS-callable functions on the addon's exports.
#pragma once
#include "napi_args.h"

namespace puzzle {

void defineFunction(napi_env env, napi_value exports, const char* name, napi_callback callback);

void registerDeviceEntries(napi_env env, napi_value exports);
void registerMemoryEntries(napi_env env, napi_value exports);
void registerAsyncReadEntries(napi_env env, napi_value exports);
void registerBlasEntries(napi_env env, napi_value exports);
void registerReductionEntries(napi_env env, napi_value exports);
void registerElementwiseEntries(napi_env env, napi_value exports);
/** Only in the simulator build (sim/sim_entries.cc): the `simulator` controls. */
void registerSimulatorEntries(napi_env env, napi_value exports);

}  // namespace puzzle
