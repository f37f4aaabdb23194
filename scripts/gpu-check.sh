#!/usr/bin/env bash
# GPU check: runs the reference-fixture comparisons (per-token log-probs, lm-eval loglikelihoods with
# token splits and is_greedy, rolling bits-per-byte with BOS and EOS prefixes) on CUDA in float32 and
# float16, then a short scoring benchmark. Exit 0 only when every comparison is within tolerance:
#   float32: 2e-4 per token, 1e-3 per summed request, 1e-5 relative bpb, no is_greedy flips
#   float16: 3e-2 per token, 1.5e-1 per summed request, 2e-3 relative bpb, is_greedy checked where
#            the reference margin exceeds 0.05
# Needs: a JDK >= 21 (or JAVA_HOME), a CUDA GPU, and DJL's CUDA natives for PyTorch 2.7.1. On a
# networked host DJL downloads them; offline, point DJL at a libtorch 2.7.1 cu128 build:
#   export PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
# Usage: scripts/gpu-check.sh [FIXTURES_DIR]   (env: DEVICE=cuda:1, EVALH_JAR=prebuilt jar, BENCH=0)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIXTURES="${1:-$ROOT/harness/src/test/resources/fixtures}"
DEVICE="${DEVICE:-cuda}"
rc=0
for dtype in float32 float16; do
  echo "== check-fixtures on $DEVICE, $dtype"
  "$ROOT/evalh" check-fixtures --fixtures "$FIXTURES" --device "$DEVICE" --dtype "$dtype" || rc=1
done
if [ "${BENCH:-1}" != "0" ]; then
  for dtype in float32 float16; do
    echo "== bench on $DEVICE, $dtype (random ~134M Llama)"
    "$ROOT/evalh" bench --device "$DEVICE" --dtype "$dtype" --rows 64 --seq-len 1024 --batch-tokens 32768 || rc=1
  done
fi
exit $rc
