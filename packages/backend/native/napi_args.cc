#include "napi_args.h"

#include <cmath>
#include <exception>
#include <utility>

namespace puzzle {

namespace {
constexpr double kMaxExactDouble = 9007199254740992.0;  // 2^53

void checkStatus(napi_env env, napi_status status, const char* what) {
  if (status == napi_ok) return;
  const napi_extended_error_info* info = nullptr;
  napi_get_last_error_info(env, &info);
  std::string detail = info && info->error_message ? info->error_message : "napi call failed";
  fail("ERR_PUZZLE_NAPI", std::string(what) + ": " + detail);
}
}  // namespace

void fail(const char* code, std::string message) { throw NativeError{code, std::move(message)}; }

Args::Args(napi_env env, napi_callback_info info) : env_(env) {
  checkStatus(env, napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr), "reading arguments");
  if (argc_ > kMaxArgs) argc_ = kMaxArgs;
}

napi_value Args::value(size_t i) const {
  if (i >= argc_) fail("ERR_PUZZLE_ARGS", "argument " + std::to_string(i) + " is missing");
  return argv_[i];
}

bool Args::isNullish(size_t i) const {
  if (i >= argc_) return true;
  napi_valuetype type;
  checkStatus(env_, napi_typeof(env_, argv_[i], &type), "typeof");
  return type == napi_null || type == napi_undefined;
}

double Args::number(size_t i) const {
  double v = 0;
  if (napi_get_value_double(env_, value(i), &v) != napi_ok) {
    fail("ERR_PUZZLE_ARGS", "argument " + std::to_string(i) + " must be a number");
  }
  return v;
}

int64_t Args::count(size_t i) const {
  double v = number(i);
  if (!(v >= 0 && v <= kMaxExactDouble) || std::floor(v) != v) {
    fail("ERR_PUZZLE_ARGS", "argument " + std::to_string(i) + " must be a non-negative integer, got " + std::to_string(v));
  }
  return static_cast<int64_t>(v);
}

int Args::code(size_t i) const {
  double v = number(i);
  if (!(v >= 0 && v < 1024)) fail("ERR_PUZZLE_ARGS", "argument " + std::to_string(i) + " is not a valid code");
  return static_cast<int>(v);
}

void* Args::pointer(size_t i) const {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(count(i)));
}

TypedArrayView Args::typedArray(size_t i) const {
  napi_value v = value(i);
  bool isTyped = false;
  checkStatus(env_, napi_is_typedarray(env_, v, &isTyped), "is_typedarray");
  if (!isTyped) fail("ERR_PUZZLE_ARGS", "argument " + std::to_string(i) + " must be a typed array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t byteOffset = 0;
  checkStatus(env_, napi_get_typedarray_info(env_, v, &type, &length, &data, &buffer, &byteOffset), "typedarray_info");
  size_t itemBytes = 1;
  switch (type) {
    case napi_int16_array:
    case napi_uint16_array: itemBytes = 2; break;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array: itemBytes = 4; break;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array: itemBytes = 8; break;
    default: itemBytes = 1;
  }
  return TypedArrayView{data, length * itemBytes};
}

napi_value undefinedValue(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value numberValue(napi_env env, double value) {
  napi_value v;
  checkStatus(env, napi_create_double(env, value, &v), "create_double");
  return v;
}

napi_value stringValue(napi_env env, const std::string& value) {
  napi_value v;
  checkStatus(env, napi_create_string_utf8(env, value.c_str(), value.size(), &v), "create_string");
  return v;
}

void setProperty(napi_env env, napi_value object, const char* name, napi_value value) {
  checkStatus(env, napi_set_named_property(env, object, name, value), "set_named_property");
}

}  // namespace puzzle
