// Our own declarations of the few cuBLAS entry points the engine calls. cuBLAS is opened at run time (dlopen) so that
// the addon loads on machines without it, and its headers need not be installed: we do not include cublas_v2.h.
// Enum values are those of the documented cuBLAS C API; C enums are int-sized on the platforms we build for.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

namespace puzzle {

struct CublasContext;
using CublasHandle = CublasContext*;

// cublasStatus_t
constexpr int kCublasSuccess = 0;
// cublasOperation_t
constexpr int kCublasOpN = 0;
constexpr int kCublasOpT = 1;
// cublasComputeType_t
constexpr int kCublasCompute32F = 68;
constexpr int kCublasCompute32FFast16BF = 75;
constexpr int kCublasCompute32FFastTF32 = 77;
// cublasGemmAlgo_t
constexpr int kCublasGemmDefault = -1;
// cudaDataType_t (library_types.h)
constexpr int kCudaR32F = 0;
constexpr int kCudaR16F = 2;

struct CublasApi {
  int (*create)(CublasHandle* handle);                               // cublasCreate_v2
  int (*destroy)(CublasHandle handle);                               // cublasDestroy_v2
  int (*setStream)(CublasHandle handle, cudaStream_t stream);        // cublasSetStream_v2
  int (*gemmEx)(CublasHandle handle, int transa, int transb, int m, int n, int k, const void* alpha, const void* a,
                int aType, int lda, const void* b, int bType, int ldb, const void* beta, void* c, int cType, int ldc,
                int computeType, int algo);                          // cublasGemmEx
  // cublasGemmStridedBatchedEx; optional at load time (only the dnn convolutions need it), null when absent.
  int (*gemmStridedBatchedEx)(CublasHandle handle, int transa, int transb, int m, int n, int k, const void* alpha,
                              const void* a, int aType, int lda, long long strideA, const void* b, int bType, int ldb,
                              long long strideB, const void* beta, void* c, int cType, int ldc, long long strideC,
                              int batchCount, int computeType, int algo);
  const char* (*statusString)(int status);                          // cublasGetStatusString, may be absent
  std::string libraryName;
};

/** Opens cuBLAS once (libcublas.so.13, then .12; env PUZZLE_CUBLAS_PATH first). Returns null and sets `error` on failure. */
const CublasApi* loadCublas(std::string& error);

/** Throws a NativeError naming the op when `status` is not success. */
void checkCublas(const CublasApi& api, int status, const char* what);

}  // namespace puzzle
