#!/bin/bash
# Run THERE (the lent GPU machine), in the carried working tree, after tools/device/prepare.sh ran here. The device
# `run` call, carrying only .device:
#   mkdir -p /tmp/n && xz -dc .device/node.xz > /tmp/n/node && chmod +x /tmp/n/node && export PATH=/tmp/n:$PATH &&
#   export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:$LD_LIBRARY_PATH;
#   bash tools/device/run-on-gpu.sh --require-gpu
# It unpacks Node and the pruned node_modules, probes CUDA, runs the backend test suite on the cuda engine only
# (PUZZLE_BACKEND=cuda PUZZLE_TEST_ENGINES=cuda), then the doc example when prepare.sh bundled one. Full logs and
# a summary go to $OUT (or .device/out when run elsewhere). Without a GPU the cuda tests are skipped and the
# script says so; --require-gpu then makes that an error (exit 3).
set -uo pipefail

require_gpu=0
[[ ${1:-} == --require-gpu ]] && require_gpu=1
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${OUT:-$root/.device/out}
mkdir -p "$out"
exec > >(tee "$out/run.log") 2>&1

step() { echo; echo "=== $* (at ${SECONDS} s)"; }

step "setup"
if ! command -v node >/dev/null || [[ $(command -v node) != /tmp/n/node && ! -f node_modules/vitest/vitest.mjs ]]; then
  mkdir -p /tmp/n && xz -dc .device/node.xz > /tmp/n/node && chmod +x /tmp/n/node
  export PATH=/tmp/n:$PATH
fi
export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}
echo "node $(node --version) at $(command -v node)"
# The build machine has the full node_modules; the GPU machine gets the pruned copy.
if [[ ! -f node_modules/vitest/vitest.mjs ]]; then
  tar -xJf .device/node_modules.tar.xz || { echo "cannot unpack .device/node_modules.tar.xz: run prepare.sh"; exit 2; }
fi
export PUZZLE_CUDA_ADDON=$root/.device/puzzle_cuda.node
[[ -f $PUZZLE_CUDA_ADDON ]] || export PUZZLE_CUDA_ADDON=$root/packages/backend/build/puzzle_cuda.node
echo "addon: $PUZZLE_CUDA_ADDON"

step "device"
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; else echo "nvidia-smi: not available"; fi
probe=$(node -e '
  const a = require(process.env.PUZZLE_CUDA_ADDON);
  const p = a.probe();
  console.log(p.ok ? `ok: ${p.device}` : `unavailable: ${p.reason}`);' 2>&1)
echo "cuda probe: $probe"

step "backend test suite on the cuda engine"
# vitest.config.ts has its own JSON reporter writing node_modules/.vitest-report.json: collect that report.
rm -f node_modules/.vitest-report.json
# PUZZLE_CUDA_SIM=0: a GPU that fails to answer must show as skipped tests, never as a run on the CPU simulator.
NO_COLOR=1 PUZZLE_CUDA_SIM=0 PUZZLE_BACKEND=cuda PUZZLE_TEST_ENGINES=cuda timeout 240 node node_modules/vitest/vitest.mjs run packages/backend \
  --reporter=verbose --reporter=json > "$out/vitest-backend.log" 2>&1
tests_rc=$?
[[ -f node_modules/.vitest-report.json ]] && cp node_modules/.vitest-report.json "$out/vitest-backend.json"
# Measurements the cuda tests print (tf32 error, launch cost).
grep -E '^\[cuda\] ' "$out/vitest-backend.log" | head -20
tail -n 6 "$out/vitest-backend.log"
# Ops the cuda engine does not implement yet (dnn, cost kernels) fail as "not implemented": the summary lists them
# apart, and only other failures decide the verdict.
if [[ -f $out/vitest-backend.json ]]; then
  node tools/device/summarize-vitest.mjs "$out/vitest-backend.json" > "$out/summary.txt"
  tests_rc=$?
  head -n 60 "$out/summary.txt"
fi

step "doc example"
example_rc=0
if [[ -f .device/adam.mjs ]]; then
  PUZZLE_BACKEND=cuda timeout 90 node .device/adam.mjs > "$out/adam.log" 2>&1
  example_rc=$?
  tail -n 20 "$out/adam.log"
  echo "example exit code: $example_rc"
else
  echo "no docs/examples/adam.ts bundled: skipped"
fi

step "verdict"
echo "tests verdict: $tests_rc (0 = no failure besides ops not implemented yet; full log: $out/vitest-backend.log)"
if [[ $probe != ok:* ]]; then
  echo "NO USABLE GPU HERE ($probe): every cuda test was skipped."
  (( require_gpu )) && exit 3
  exit "$tests_rc"
fi
(( tests_rc != 0 )) && exit "$tests_rc"
exit "$example_rc"
