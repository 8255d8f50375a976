#!/bin/bash
# Runs ON the GPU machine (through the device tool), after tools/bench/prepare-gpu.sh ran on the build machine:
#   run(command='bash tools/bench/run-on-gpu.sh', carry=['.device'], timeout_s=420)
# Times PyTorch (python3 there, Adam plain and fused=True) and Puzzle's cuda engine over cases (a)-(d), (b) also with
# TF32 and bf16 products, in this one call, prints the table last, and leaves the full numbers under $OUT (four files;
# at most 8 come back):
#   report.md (the table)  bench.json (every sample, plan, ceilings)  torch.json (the peer's raw output)  run.log
# Extra arguments go to the runner (e.g. --quick for a smoke test of the plumbing at toy sizes).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${OUT:-$root/out/bench}
mkdir -p "$out"
exec > >(tee "$out/run.log") 2>&1

for needed in .device/node.xz .device/puzzle_cuda.node .device/bench.mjs; do
  if [[ ! -f $needed ]]; then
    echo "[bench] missing $needed: run tools/bench/prepare-gpu.sh on the build machine and carry .device" >&2
    exit 2
  fi
done

if ! command -v node >/dev/null; then
  mkdir -p /tmp/n && xz -dc .device/node.xz > /tmp/n/node && chmod +x /tmp/n/node
  export PATH=/tmp/n:$PATH
fi
export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}
# The bundle cannot find the addon relative to its own path: name it. The engine is cuda or nothing.
export PUZZLE_CUDA_ADDON=$root/.device/puzzle_cuda.node PUZZLE_BACKEND=cuda PUZZLE_QUIET=1
# No NVIDIA_TF32_OVERRIDE, not even one inherited: =0 forbids TF32 in cuBLAS and cuDNN even where a case asks for it
# (b-tf32). Each side sets its precision per case instead, fp32 unless the case says otherwise: Puzzle with
# setFloat32MatmulPrecision, torch_peer.py with set_float32_matmul_precision and cudnn.allow_tf32.
unset NVIDIA_TF32_OVERRIDE
export BENCH_COMMAND="bash tools/bench/run-on-gpu.sh $*"

# The card as found (clocks, temperature, power): read, never changed.
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,temperature.gpu,power.draw,power.limit \
    --format=csv
fi
python3 -c 'import torch; print("[bench] torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.is_available())'

# The runner prints the table last, so the end of the output (what the device tool's reply carries) is the table.
node .device/bench.mjs --out "$out" --torch-peer tools/bench/torch_peer.py "$@"
