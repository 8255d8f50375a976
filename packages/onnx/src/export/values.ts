import type { DType } from '@puzzle/backend';
import type { ShapeOf } from '@puzzle/modules';

/** A tensor of the ONNX graph as the exporter tracks it between modules. */
export interface Value {
  name: string;
  /** Its shape at the batch size of the export's inputs. */
  shape: readonly number[];
  /** Its shape at another batch size (null when the batch is not dynamic): the dims that differ follow the batch. */
  alt: readonly number[] | null;
  dtype: DType;
}

/** What flows between modules: one value, or a (nested) list of values, as Data is for arrays. */
export type Flow = Value | Flow[];

/** What a converter returns: the names of its output values, shaped like the module's output. */
export type Names = string | Names[];

export function isValue(flow: Flow): flow is Value {
  return !Array.isArray(flow);
}

export function shapesOfFlow(flow: Flow, which: 'shape' | 'alt'): ShapeOf {
  return isValue(flow) ? (flow[which] ?? flow.shape) : flow.map((f) => shapesOfFlow(f, which));
}

/** Every value of a flow, depth first. */
export function valuesOf(flow: Flow): Value[] {
  return isValue(flow) ? [flow] : flow.flatMap(valuesOf);
}

/** Output values from a converter's names and the shapes inferred for the module's output. */
export function valuesFrom(names: Names, shape: ShapeOf, alt: ShapeOf | null, dtype: DType): Flow {
  if (typeof names === 'string') return { name: names, shape: shape as readonly number[], alt: alt as readonly number[] | null, dtype };
  return names.map((n, i) => valuesFrom(n, (shape as ShapeOf[])[i]!, alt === null ? null : (alt as ShapeOf[])[i]!, dtype));
}
