import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { OnnxError } from '../onnx-error.js';
import type { ModelProto } from './onnx-types.js';

/** The vendored schema: two levels up from both src/proto (tests) and dist/proto (the built package). */
const SCHEMA = new URL('../../schema/onnx.proto', import.meta.url);

let modelType: protobuf.Type | null = null;

/** onnx.ModelProto, parsed from the schema on first use (nothing is read at import). */
function modelProto(): protobuf.Type {
  // keepCase: the objects keep the schema's snake_case names (ir_version, op_type, raw_data).
  modelType ??= protobuf.parse(readFileSync(SCHEMA, 'utf8'), { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** The wire bytes of a model; a field of the wrong type is an OnnxError (a bug in the exporter, never silent). */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProto();
  const problem = type.verify(model);
  if (problem !== null) throw new OnnxError(`the model does not match the ONNX schema: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** A model from its wire bytes, with 64-bit integers as numbers and repeated fields as arrays. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProto();
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (e) {
    throw new OnnxError(`not an ONNX model (${e instanceof Error ? e.message : String(e)})`, e);
  }
  return type.toObject(message, { longs: Number, enums: Number, arrays: true }) as ModelProto;
}
