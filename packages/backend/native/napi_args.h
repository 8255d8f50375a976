// A thin layer over raw Node-API for the hot entry points: arguments are read into a stack array (no per-call heap
// allocation, unlike a generic wrapper with more than 6 arguments), and C++ failures become JS exceptions at one
// place (`entry`) so the op code can simply throw.
#pragma once
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace puzzle {

/** A failure to report to JS: `code` becomes the Error's `code` property. */
struct NativeError {
  std::string code;
  std::string message;
};

[[noreturn]] void fail(const char* code, std::string message);

struct TypedArrayView {
  void* data;
  size_t bytes;
};

class Args {
 public:
  static constexpr size_t kMaxArgs = 16;

  Args(napi_env env, napi_callback_info info);

  napi_env env() const { return env_; }
  napi_value value(size_t i) const;
  bool isNullish(size_t i) const;
  double number(size_t i) const;
  /** A non-negative integer count or size. */
  int64_t count(size_t i) const;
  /** A small enum code. */
  int code(size_t i) const;
  bool flag(size_t i) const { return number(i) != 0; }
  /** A device address passed from JS as a double (addresses stay below 2^53). */
  void* pointer(size_t i) const;
  TypedArrayView typedArray(size_t i) const;

 private:
  napi_env env_;
  size_t argc_ = kMaxArgs;
  napi_value argv_[kMaxArgs];
};

napi_value undefinedValue(napi_env env);
napi_value numberValue(napi_env env, double value);
napi_value stringValue(napi_env env, const std::string& value);
void setProperty(napi_env env, napi_value object, const char* name, napi_value value);

using Handler = napi_value (*)(const Args&);

/** The napi callback for a handler: converts NativeError and std::exception into thrown JS Errors. */
template <Handler H>
napi_value entry(napi_env env, napi_callback_info info) {
  try {
    Args args(env, info);
    return H(args);
  } catch (const NativeError& e) {
    napi_throw_error(env, e.code.c_str(), e.message.c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "ERR_PUZZLE_NATIVE", e.what());
  }
  return nullptr;
}

}  // namespace puzzle
