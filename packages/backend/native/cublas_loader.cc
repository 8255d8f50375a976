#include <dlfcn.h>

#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "cublas_api.h"

namespace puzzle {

namespace {

std::vector<std::string> candidatePaths() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("PUZZLE_CUBLAS_PATH")) paths.emplace_back(env);
  // Bare sonames first (LD_LIBRARY_PATH, ld.so.cache), then the usual toolkit locations.
  const char* sonames[] = {"libcublas.so.13", "libcublas.so.12"};
  const char* dirs[] = {"/usr/local/cuda/lib64/", "/usr/local/cuda/targets/x86_64-linux/lib/",
                        "/usr/local/cuda-13.0/targets/x86_64-linux/lib/", "/usr/lib/x86_64-linux-gnu/"};
  for (const char* so : sonames) {
    paths.emplace_back(so);
    for (const char* dir : dirs) paths.emplace_back(std::string(dir) + so);
  }
  return paths;
}

/** Binds the first of `symbols` the library exports (cublas_v2.h maps the API names to their _v2 symbols). */
template <typename Fn>
bool bind(void* lib, std::initializer_list<const char*> symbols, Fn& target, std::string& error) {
  for (const char* symbol : symbols) {
    target = reinterpret_cast<Fn>(dlsym(lib, symbol));
    if (target) return true;
  }
  error = std::string("symbol ") + *symbols.begin() + " missing";
  return false;
}

bool tried = false;
CublasApi api;
bool loaded = false;
std::string loadError;

void tryLoad() {
  tried = true;
  std::string attempts;
  for (const std::string& path : candidatePaths()) {
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      if (attempts.empty()) attempts = dlerror();  // the first failure is the informative one
      continue;
    }
    std::string error;
    bool ok = bind(lib, {"cublasCreate_v2", "cublasCreate"}, api.create, error) &&
              bind(lib, {"cublasDestroy_v2", "cublasDestroy"}, api.destroy, error) &&
              bind(lib, {"cublasSetStream_v2", "cublasSetStream"}, api.setStream, error) &&
              bind(lib, {"cublasGemmEx"}, api.gemmEx, error);
    if (!ok) {
      attempts = path + ": " + error;
      dlclose(lib);
      continue;
    }
    api.statusString = reinterpret_cast<const char* (*)(int)>(dlsym(lib, "cublasGetStatusString"));
    api.gemmStridedBatchedEx =
        reinterpret_cast<decltype(api.gemmStridedBatchedEx)>(dlsym(lib, "cublasGemmStridedBatchedEx"));
    api.libraryName = path;
    loaded = true;
    return;
  }
  loadError = attempts.empty() ? "libcublas.so.13 / .12 not found" : attempts;
}

}  // namespace

const CublasApi* loadCublas(std::string& error) {
  if (!tried) tryLoad();
  if (!loaded) {
    error = loadError;
    return nullptr;
  }
  return &api;
}

}  // namespace puzzle
