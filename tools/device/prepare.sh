#!/bin/bash
# Run HERE (the build machine), from anywhere in the repository. Puts under .device/ (git-ignored through
# .git/info/exclude) everything tools/device/run-on-gpu.sh needs on the GPU machine, which has no Node, no npm and
# no network:
#   .device/node.xz                this machine's Node binary (by /work/shared/device/pack-node.sh)
#   .device/puzzle_cuda.node       the cuda addon, freshly built
#   .device/node_modules.tar.xz    vitest and the tfjs engine's packages with their dependencies, pruned
#   .device/adam.mjs               docs/examples/adam.ts bundled with esbuild, when that example exists
# The sources themselves travel with the working tree. Carry only `.device` (see run-on-gpu.sh for the command).
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
started=$SECONDS
limit_mib=60

echo "[prepare] packing node"
bash /work/shared/device/pack-node.sh >/dev/null
grep -qx '/.device/' .git/info/exclude || echo '/.device/' >> .git/info/exclude

echo "[prepare] building the cuda addon"
# This machine has nvcc but no driver: ask for the addon the GPU machine will run.
PUZZLE_NATIVE_CUDA=1 node tools/native/build.mjs
addon=packages/backend/build/puzzle_cuda.node
if [[ ! -f $addon ]]; then
  echo "[prepare] no $addon (is nvcc installed?): cannot prepare a GPU run" >&2
  exit 1
fi
cp "$addon" .device/puzzle_cuda.node

# Rebuilt only when the installed packages changed; the list itself is cheap to recompute.
modules=.device/node_modules.tar.xz
node tools/device/dependency-closure.mjs vitest @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu > .device/node_modules.list
if [[ ! -f $modules || package-lock.json -nt $modules ]] || ! cmp -s .device/node_modules.list .device/node_modules.list.packed; then
  echo "[prepare] packing $(wc -l < .device/node_modules.list) packages of node_modules (xz takes a minute)"
  # Types, source maps and docs are not needed to run; tfjs' tests, browser bundles and miniprogram build neither
  # (Node loads its dist/*.node.js through `main`, or the ESM tree).
  tar -c --exclude='*.map' --exclude='*.d.ts' --exclude='*.d.mts' --exclude='*.d.cts' --exclude='*.md' \
    --exclude='node_modules/@tensorflow/*/dist/miniprogram' --exclude='node_modules/@tensorflow/*/dist/*_test.js' \
    --exclude='node_modules/@tensorflow/*/dist/**/*_test.js' --exclude='node_modules/@tensorflow/*/dist/tf-*.min.js' \
    --exclude='node_modules/@tensorflow/*/dist/tf-*.es2017.js' --exclude='node_modules/@tensorflow/*/dist/tf-*.fesm.js' \
    --exclude='node_modules/@tensorflow/*/dist/tf-core.js' --exclude='node_modules/@tensorflow/*/dist/tf-backend-cpu.js' \
    -T .device/node_modules.list | xz -T2 -6 > "$modules.tmp"
  mv "$modules.tmp" "$modules"
  cp .device/node_modules.list .device/node_modules.list.packed
else
  echo "[prepare] $modules is up to date"
fi

rm -f .device/adam.mjs
if [[ -f docs/examples/adam.ts ]]; then
  echo "[prepare] bundling docs/examples/adam.ts"
  # @puzzle/* resolve to the sources through tsconfig.spec.json's paths; tfjs stays external (it is loaded
  # with createRequire at run time, from the carried node_modules).
  node_modules/.bin/esbuild docs/examples/adam.ts --bundle --platform=node --format=esm --target=node20 \
    --tsconfig=tsconfig.spec.json --external:@tensorflow/* --log-level=warning --outfile=.device/adam.mjs
fi

total=$(du -cb .device/node.xz .device/puzzle_cuda.node "$modules" $( [[ -f .device/adam.mjs ]] && echo .device/adam.mjs ) | tail -1 | cut -f1)
tree=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
mib=$(( (total + tree + 1048575) / 1048576 ))
echo "[prepare] carry: .device $(( total / 1048576 )) MiB + working tree $(( tree / 1048576 )) MiB = ${mib} MiB of 64"
if (( mib > limit_mib )); then
  echo "[prepare] too large to carry (limit ${limit_mib} MiB kept below the 64 MiB cap)" >&2
  exit 1
fi
echo "[prepare] ready in $(( SECONDS - started )) s. Device command (carry [\".device\"]):"
echo '  mkdir -p /tmp/n && xz -dc .device/node.xz > /tmp/n/node && chmod +x /tmp/n/node && export PATH=/tmp/n:$PATH && export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:$LD_LIBRARY_PATH; bash tools/device/run-on-gpu.sh --require-gpu'
