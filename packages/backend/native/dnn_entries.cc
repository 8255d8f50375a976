#include "dnn_entries.h"

namespace puzzle {

void registerDnnEntries(napi_env env, napi_value exports) {
  registerDnnConvEntries(env, exports);
  registerDnnPoolEntries(env, exports);
  registerDnnNormEntries(env, exports);
  registerDnnSoftmaxEntries(env, exports);
  registerDnnResampleEntries(env, exports);
  registerDnnPreluEntries(env, exports);
  registerDnnEmbedEntries(env, exports);
}

}  // namespace puzzle
