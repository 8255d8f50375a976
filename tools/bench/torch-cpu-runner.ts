import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withExplicitPrecisions, type BenchPlan, type CaseSpec } from './bench-plan.js';
import type { TimedRunner } from './step-timer.js';

/** Beside this module; it imports torch_peer.py's workloads, so both peers train exactly the same steps. */
export const TORCH_CPU_PEER = fileURLToPath(new URL('./torch_cpu_peer.py', import.meta.url));

/**
 * The first interpreter that imports torch: PUZZLE_BENCH_PYTHON when set, else python3 on the PATH, else Debian's
 * /usr/bin/python3 (where `apt install python3-torch` puts it, which a pyenv python3 on the PATH does not see).
 * When none does, the candidates tried.
 */
export function findTorchPython(candidates = defaultPythons()): { python: string; version: string } | { tried: string[] } {
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return { tried: candidates };
}

function defaultPythons(): string[] {
  const chosen = process.env['PUZZLE_BENCH_PYTHON'];
  return chosen ? [chosen] : ['python3', '/usr/bin/python3'];
}

/** A TimedRunner over torch_cpu_peer.py: each repeat is timed inside Python, so the pipe's latency stays out. */
export interface TorchCpuPeer {
  readonly version: string;
  /** Builds the case's workload; rejects with PyTorch's message when it cannot. */
  runner(spec: CaseSpec, plan: BenchPlan): Promise<TimedRunner & { errors(): Promise<number[]> }>;
  close(): void;
}

type Answer = { error?: string; ms?: number; errors?: number[]; version?: string };

export async function startTorchCpuPeer(python: string, script = TORCH_CPU_PEER): Promise<TorchCpuPeer> {
  // One thread in every library PyTorch may call (OpenMP, MKL, OpenBLAS), besides torch.set_num_threads(1).
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const child = spawn(python, [script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const pending: ((a: Answer) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => pending.shift()?.(JSON.parse(line) as Answer));
  const ask = (cmd: object) =>
    new Promise<Answer>((resolve, reject) => {
      pending.push(resolve);
      child.stdin.write(`${JSON.stringify(cmd)}\n`, (err) => err && reject(err));
    });
  child.once('exit', (code) => pending.splice(0).forEach((resolve) => resolve({ error: `torch_cpu_peer.py exited (${code})` })));
  const hello = await ask({ op: 'hello' });
  if (hello.error) throw new Error(hello.error);
  return {
    version: hello.version ?? 'unknown',
    async runner(spec, plan) {
      const built = await ask({ op: 'build', spec: withExplicitPrecisions({ ...plan, cases: [spec] }).cases[0], plan });
      if (built.error) throw new Error(built.error);
      return {
        step: async () => void (await ask({ op: 'run', steps: 1 })),
        sync: () => {},
        repeat: async (steps) => (await ask({ op: 'run', steps })).ms!,
        errors: async () => (await ask({ op: 'errors' })).errors ?? [],
      };
    },
    close: () => void child.stdin.end(),
  };
}
