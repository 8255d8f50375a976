// readAsync(srcPtr, itemBytes, layout | null, destination) → Promise<destination>.
// On the JS thread the copy is enqueued in stream order (gather if strided, then a device → pinned host copy) and an
// event recorded; a libuv worker thread waits on the event; back on the JS thread the pinned bytes are copied into
// the destination typed array and the promise resolves. Later launches cannot change what is read: the copy is
// already ahead of them in the stream.
#include <cuda_runtime_api.h>

#include <cstring>
#include <string>

#include "cuda_check.h"
#include "device_state.h"
#include "device_temp.h"
#include "entries.h"
#include "kernels.h"
#include "layout_args.h"
#include "pinned_staging.h"

namespace puzzle {

namespace {

struct ReadJob {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref destination = nullptr;
  PinnedBlock staging{nullptr, 0};
  size_t bytes = 0;
  cudaEvent_t done = nullptr;
  int deviceIndex = 0;
  cudaError_t status = cudaSuccess;  // written by the worker thread, read after it finished
};

void destroy(napi_env env, ReadJob* job) {
  if (job->done) cudaEventDestroy(job->done);
  if (job->staging.data) releasePinned(job->staging);
  if (job->destination) napi_delete_reference(env, job->destination);
  if (job->work) napi_delete_async_work(env, job->work);
  delete job;
}

napi_value errorValue(napi_env env, const std::string& code, const std::string& message) {
  napi_value codeValue = stringValue(env, code);
  napi_value messageValue = stringValue(env, message);
  napi_value error;
  napi_create_error(env, codeValue, messageValue, &error);
  return error;
}

void waitForCopy(napi_env, void* data) {
  ReadJob* job = static_cast<ReadJob*>(data);
  // The worker thread needs the device current to wait on its event; cudaSetDevice is cheap.
  job->status = cudaSetDevice(job->deviceIndex);
  if (job->status == cudaSuccess) job->status = cudaEventSynchronize(job->done);
}

void deliver(napi_env env, napi_status workStatus, void* data) {
  ReadJob* job = static_cast<ReadJob*>(data);
  napi_value destination = nullptr;
  napi_get_reference_value(env, job->destination, &destination);
  if (workStatus != napi_ok || job->status != cudaSuccess) {
    const char* name = job->status != cudaSuccess ? cudaGetErrorName(job->status) : "ERR_PUZZLE_ASYNC";
    std::string message = job->status != cudaSuccess ? std::string("async read: ") + cudaGetErrorString(job->status) + " (" + name + ")"
                                                     : "async read was cancelled";
    if (job->status != cudaSuccess) cudaGetLastError();
    napi_reject_deferred(env, job->deferred, errorValue(env, name, message));
  } else {
    // The destination's storage is looked up again here: only now is it certain to be used on this thread.
    napi_typedarray_type type;
    size_t length = 0;
    void* bytes = nullptr;
    napi_value buffer;
    size_t offset = 0;
    napi_get_typedarray_info(env, destination, &type, &length, &bytes, &buffer, &offset);
    if (bytes) std::memcpy(bytes, job->staging.data, job->bytes);
    napi_resolve_deferred(env, job->deferred, destination);
  }
  destroy(env, job);
}

/** Enqueues the copy into pinned memory and records the event that tells the worker it is done. */
void enqueueCopy(const Args& args, ReadJob& job) {
  const char* src = static_cast<const char*>(args.pointer(0));
  const int item = args.code(1);
  job.staging = acquirePinned(job.bytes);
  if (args.isNullish(2)) {
    checkCuda(cudaMemcpyAsync(job.staging.data, src, job.bytes, cudaMemcpyDeviceToHost, nullptr), "cudaMemcpyAsync");
  } else {
    StridedLayout l;
    if (hostTransferLayout(args.typedArray(2), HostSide::kDestination, l)) {
      if (static_cast<size_t>(elementCount(l)) * item != job.bytes) fail("ERR_PUZZLE_ARGS", "destination size does not match the region");
      if (isDense(l.srcStride, l)) {
        checkCuda(cudaMemcpyAsync(job.staging.data, src, job.bytes, cudaMemcpyDeviceToHost, nullptr), "cudaMemcpyAsync");
      } else {
        DeviceTemp gathered(job.bytes);
        checkCuda(launchStridedCopy(item, gathered.get(), src, l), "gather kernel");
        checkCuda(cudaMemcpyAsync(job.staging.data, gathered.get(), job.bytes, cudaMemcpyDeviceToHost, nullptr),
                  "cudaMemcpyAsync");
      }
    }
  }
  checkCuda(cudaEventCreateWithFlags(&job.done, cudaEventDisableTiming), "cudaEventCreate");
  checkCuda(cudaEventRecord(job.done, nullptr), "cudaEventRecord");
}

napi_value readAsync(const Args& args) {
  napi_env env = args.env();
  const TypedArrayView host = args.typedArray(3);
  ReadJob* job = new ReadJob();
  job->bytes = host.bytes;
  job->deviceIndex = deviceState().index;
  napi_value promise;
  try {
    if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) fail("ERR_PUZZLE_NAPI", "cannot create a promise");
    napi_create_reference(env, args.value(3), 1, &job->destination);
    if (job->bytes == 0) {
      napi_resolve_deferred(env, job->deferred, args.value(3));
      destroy(env, job);
      return promise;
    }
    enqueueCopy(args, *job);
    napi_value name = stringValue(env, "puzzle.readAsync");
    if (napi_create_async_work(env, nullptr, name, waitForCopy, deliver, job, &job->work) != napi_ok ||
        napi_queue_async_work(env, job->work) != napi_ok) {
      fail("ERR_PUZZLE_NAPI", "cannot queue the async read");
    }
  } catch (...) {
    // Nothing was queued: let any copy already enqueued into the staging block finish before the block is reused,
    // settle the promise nobody will see, and report synchronously.
    cudaStreamSynchronize(nullptr);
    cudaGetLastError();
    if (job->deferred) napi_resolve_deferred(env, job->deferred, undefinedValue(env));
    destroy(env, job);
    throw;
  }
  return promise;
}

}  // namespace

void registerAsyncReadEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "readAsync", entry<readAsync>);
}

}  // namespace puzzle
