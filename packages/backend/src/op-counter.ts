import type { Engine } from './engine/engine.js';
import { withEngineWrapped } from './engine/registry.js';
import { BackendError } from './errors.js';

/** What `countOps` saw: every engine call by name, and how many of them made the host wait for the device. */
export interface OpCounts {
  /** Calls by name: `gemm`, `elementwise(activation)`, `optimizerStep(adam)`, `dnn.convNd`, `costs.cost(mse)`... */
  readonly calls: Readonly<Record<string, number>>;
  /** All engine calls; on the cuda engine most are one kernel launch, a few (conv, cost) two or three. */
  readonly total: number;
  /** Calls that return device data to the host, each a synchronisation on a GPU. */
  readonly syncs: number;
}

/** Engine members whose answer comes from the device: they wait for every queued launch. */
const SYNCING = new Set(['read', 'synchronize', 'reduce', 'dot', 'costs.count', 'costs.labelRange']);
/** Members that only look at host state. */
const UNCOUNTED = new Set(['name', 'device', 'alloc', 'free']);

let counting = false;

/**
 * Runs `body` and counts the engine calls it makes, to see how many launches and host waits a training step
 * costs without timing it: a step that reads its error every few iterations should show no sync in between.
 * Allocation through the memory pool is not an engine call and is not counted.
 */
export function countOps<T>(body: () => T): { result: T; counts: OpCounts } {
  if (counting) throw new BackendError('countOps', 'already counting: calls cannot be nested');
  const calls: Record<string, number> = {};
  const record = (name: string, args: unknown[]): void => {
    const kind = (args[0] as { kind?: unknown } | undefined)?.kind;
    const key = typeof kind === 'string' ? `${name}(${kind})` : name;
    calls[key] = (calls[key] ?? 0) + 1;
  };
  counting = true;
  try {
    const result = withEngineWrapped((engine) => observed(engine, '', record) as Engine, body);
    const entries = Object.entries(calls);
    const total = entries.reduce((n, [, c]) => n + c, 0);
    const syncs = entries.filter(([key]) => SYNCING.has(key.replace(/\(.*\)$/, ''))).reduce((n, [, c]) => n + c, 0);
    return { result, counts: { calls, total, syncs } };
  } finally {
    counting = false;
  }
}

/** `target` with its methods reporting to `record` under `prefix`; the op groups (dnn, costs) are observed too. */
function observed(target: object, prefix: string, record: (name: string, args: unknown[]) => void): object {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof key !== 'string' || UNCOUNTED.has(key)) return value;
      const name = prefix + key;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          record(name, args);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      if (value !== null && typeof value === 'object' && (key === 'dnn' || key === 'costs')) return observed(value, `${name}.`, record);
      return value;
    },
  });
}
