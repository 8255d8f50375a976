#!/bin/bash
# Run HERE (the build machine) before the GPU run of the benchmark. Reuses tools/device/prepare.sh (Node binary,
# fresh cuda addon, pruned node_modules under .device/) and adds .device/bench.mjs: tools/bench/gpu-bench.ts
# bundled with esbuild, with @puzzle/* taken from the sources through tsconfig.spec.json's paths. The GPU machine
# has no npm and no network; everything it needs then travels as the working tree plus the carried .device folder.
#   bash tools/bench/prepare-gpu.sh                 everything
#   bash tools/bench/prepare-gpu.sh --bundle-only   only the bundle (when .device is fresh from prepare.sh)
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
limit_mib=60

if [[ ${1:-} != --bundle-only ]]; then
  bash tools/device/prepare.sh
fi

echo "[bench] bundling tools/bench/gpu-bench.ts"
# tfjs stays external: the cuda run never loads it (the tfjs engine loads it lazily, from the carried node_modules).
node_modules/.bin/esbuild tools/bench/gpu-bench.ts --bundle --platform=node --format=esm --target=node20 \
  --tsconfig=tsconfig.spec.json --external:@tensorflow/* --log-level=warning --outfile=.device/bench.mjs

for needed in .device/node.xz .device/puzzle_cuda.node .device/bench.mjs; do
  [[ -f $needed ]] || { echo "[bench] missing $needed: run without --bundle-only" >&2; exit 1; }
done
carried=$(du -sb .device | cut -f1)
tree=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
mib=$(( (carried + tree + 1048575) / 1048576 ))
echo "[bench] carry: .device $(( carried / 1048576 )) MiB + working tree $(( tree / 1048576 )) MiB = ${mib} MiB of 64"
if (( mib > limit_mib )); then
  echo "[bench] too large to carry (limit ${limit_mib} MiB kept below the 64 MiB cap)" >&2
  exit 1
fi
echo "[bench] ready. Device tool call: run(command='bash tools/bench/run-on-gpu.sh', carry=['.device'], timeout_s=420)"
