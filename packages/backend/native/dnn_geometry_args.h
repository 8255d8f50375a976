// Reading the dnn problem descriptions JS passes as one Float64Array each (the order is that of the struct fields,
// see dnn_geometry.h and cuda-dnn-geometry.ts), with the checks that keep every kernel index inside its array.
#pragma once
#include "dnn_geometry.h"
#include "napi_args.h"

namespace puzzle {

ConvShape convShapeArg(const Args& args, size_t i);
PoolShape poolShapeArg(const Args& args, size_t i);
PadShape padShapeArg(const Args& args, size_t i);
UpsampleShape upsampleShapeArg(const Args& args, size_t i);

/** A float32 or float16 dtype code, else an ERR_PUZZLE_ARGS failure. */
int dnnFloatDtype(const Args& args, size_t i);

}  // namespace puzzle
