import { HostArray, type DType } from '@puzzle/backend';
import * as ort from 'onnxruntime-node';

const ORT_TYPE: Record<DType, 'float32' | 'float16' | 'int32'> = { float32: 'float32', float16: 'float16', int32: 'int32' };

/** Runs a model in onnxruntime-node (its CPU provider, one thread) and returns its outputs in the graph's order. */
export async function runOnnx(bytes: Uint8Array, feeds: readonly HostArray[]): Promise<HostArray[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const inputs = Object.fromEntries(session.inputNames.map((name, i) => [name, new ort.Tensor(ORT_TYPE[feeds[i]!.dtype], feeds[i]!.data, [...feeds[i]!.shape])]));
    const results = await session.run(inputs);
    return session.outputNames.map((name) => {
      const t = results[name]!;
      const dtype: DType = t.type === 'float16' ? 'float16' : t.type === 'int32' ? 'int32' : 'float32';
      return new HostArray(t.data as HostArray['data'], t.dims, dtype);
    });
  } finally {
    await session.release();
  }
}
