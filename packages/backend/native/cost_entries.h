// Registration of the cost group's entry points (cost_entries.cc) on the addon's exports.
#pragma once
#include "entries.h"

namespace puzzle {

void registerCostEntries(napi_env env, napi_value exports);

}  // namespace puzzle
