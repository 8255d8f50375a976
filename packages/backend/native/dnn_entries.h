// Registration of the dnn entry points (dnn_*_entries.cc) on the addon's exports.
#pragma once
#include "entries.h"

namespace puzzle {

void registerDnnConvEntries(napi_env env, napi_value exports);
void registerDnnPoolEntries(napi_env env, napi_value exports);
void registerDnnNormEntries(napi_env env, napi_value exports);
void registerDnnSoftmaxEntries(napi_env env, napi_value exports);
void registerDnnResampleEntries(napi_env env, napi_value exports);
void registerDnnPreluEntries(napi_env env, napi_value exports);
void registerDnnEmbedEntries(napi_env env, napi_value exports);

/** All of the above. */
void registerDnnEntries(napi_env env, napi_value exports);

}  // namespace puzzle
