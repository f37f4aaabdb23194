#!/usr/bin/env bash
# The GPU checks of evalh, in one go (target: under 8 minutes on one H100/H200), one line per check
# and a summary; exit 0 only when every check passed (with --cpu: every check that ran). Runs from a device kit
# (scripts/device-kit.sh: the kit's evalh, fixtures/ and bench/) or from the repository.
#
#   1a-c  evalh check-fixtures on CUDA against the float64 reference fixtures:
#           float32   2e-4 per token, 1e-3 per summed request, 1e-5 relative bits-per-byte, no
#                     is_greedy flip (the CPU tolerances)
#           bfloat16  and float16: check-fixtures' own tolerances for the dtype (its --help)
#   2a-c  an independent reference: bench/hf_reference.py runs HF transformers
#         (AutoModelForCausalLM, attn_implementation="eager") on the same tiny checkpoints and writes
#         per-token log-probs for every fixture text in the fixtures' format; evalh check-fixtures
#         then compares with it:
#           2a float32 HF (GPU) vs evalh float32 on CUDA: 2e-4 per token (1e-3 per request, 1e-5 bpb)
#           2b the same reference vs evalh float32 on CPU: the same tolerances
#           2c bfloat16 HF vs evalh bfloat16 on CUDA: the bfloat16 tolerances of check-fixtures
#   3     speed, same random weights and items: a random Llama of hidden 2048, 16 layers, 32/8
#         heads, MLP 8192, vocab 128256 (1.5 B parameters with the untied head), bf16. evalh bench
#         (rolling 2048-token rows; 5-shot MMLU-shaped items: a shared block per subject, 4
#         one-token choices) writes the checkpoint, the items and its log-likelihoods
#         (--export: fewshot.jsonl, rolling.jsonl); bench/hf_baseline.py scores both like lm-eval's
#         HF backend (bf16, sdpa). Reported: items/s, tokens/s, MFU
#         against the bf16 matmul peak evalh measures in the same run, evalh/HF items/s (goal >= 2x;
#         MFU goals >= 50% rolling, >= 40% 5-shot) and max |d loglikelihood| (must be <= 0.25: 4 bf16
#         rounding steps at |ll| ~ 12; lm-eval, and so the baseline, takes the log-softmax in bf16).
#   4     an 8B-shaped bf16 checkpoint (Llama-3-8B config, random, written under --work) scored by
#         evalh bench: peak GPU memory (in use after the workload, cudaMemGetInfo), tokens/s, MFU.
#
# Usage: gpu-check.sh [--cpu] [--device cuda[:N]] [--work DIR] [--only 1a,2a,...]
#   --cpu     the checks that need no GPU: 1 on CPU in float32; 2p, hf_reference.py --from-fixtures
#             (its logic on the fixtures' own numbers, no torch) compared by check-fixtures; and 2b
#             when python3 has torch and transformers (CI runs this from the kit)
#   --work    scratch folder (default: a new folder under $TMPDIR); logs are in DIR/logs
# Needs: on the GPU node, python3 with torch (CUDA) and transformers; evalh finds libtorch through
# --torch/EVALH_TORCH/python3 and, on --device cuda, exits 1 naming the missing piece (no torch
# >= 2.10, a CPU-only torch, no GPU visible, a driver too old for the torch's CUDA).
# EVALH_JAVA_OPTS passes JVM flags (check 4 adds -Xmx).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -x "$HERE/evalh" ] && [ -d "$HERE/jre" ]; then # a device kit
  EVALH="$HERE/evalh" FIXTURES="$HERE/fixtures" BENCH="$HERE/bench"
else # the repository's scripts/
  ROOT="$(dirname "$HERE")"
  EVALH="$ROOT/evalh" FIXTURES="$ROOT/engine/src/test/resources/fixtures" BENCH="$ROOT/bench"
fi
PY="${PYTHON:-python3}"

cpu=0 device=cuda work="" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=1 ;;
    --device) device="${2:?--device needs a value}"; shift ;;
    --work) work="${2:?--work needs a value}"; shift ;;
    --only) only=",${2:?--only needs a value},"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$cpu" = 1 ] && device=cpu
if [ -z "$work" ]; then work="$(mktemp -d "${TMPDIR:-/tmp}/evalh-gpu-check.XXXXXX")"; fi
mkdir -p "$work/logs" "$work/tmp"

pass=0 fail=0 skip=0
wanted() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
# line ID STATUS DESCRIPTION DETAILS
line() {
  printf '%-3s %-4s %-46s %s\n' "$1" "$2" "$3" "$4"
  case "$2" in PASS) pass=$((pass + 1)) ;; FAIL) fail=$((fail + 1)) ;; *) skip=$((skip + 1)) ;; esac
}
# fixtures_summary LOG: the largest errors check-fixtures printed, one field per model
fixtures_summary() {
  sed -n 's/^\(tiny-[a-z0-9-]*\) .*max|dlogprob| \([^ ]*\) (tol \([^)]*\)).*max|dsum| \([^ ]*\) .*max rel dbpb \([^ ]*\) .*mismatches \([0-9]*\).*/\1 tok \2 sum \4 bpb \5 flips \6 (tol \3)/p' "$1" \
    | paste -sd';' -
}
# fixtures ID DESCRIPTION FIXTURES DEVICE DTYPE
fixtures() {
  local id=$1 desc=$2 dir=$3 dev=$4 dtype=$5 t0=$SECONDS
  wanted "$id" || return 0
  if "$EVALH" check-fixtures --fixtures "$dir" --device "$dev" --dtype "$dtype" \
      >"$work/logs/$id.log" 2>&1; then
    line "$id" PASS "$desc" "$(fixtures_summary "$work/logs/$id.log") [$((SECONDS - t0))s]"
  else
    line "$id" FAIL "$desc" "$(fixtures_summary "$work/logs/$id.log") $(tail -n1 "$work/logs/$id.log") [log: $work/logs/$id.log]"
  fi
}
have_hf() { "$PY" -c 'import torch, transformers' >/dev/null 2>&1; }
# hf_reference DTYPE DEVICE: writes $work/hf-DTYPE (models -> the kit's, expected/ from HF)
hf_reference() {
  "$PY" "$BENCH/hf_reference.py" --fixtures "$FIXTURES" --out "$work/hf-$1" --dtype "$1" \
    --device "$2" >"$work/logs/hf-$1.log" 2>&1
}

echo "gpu-check: $(date -u +%Y-%m-%dT%H:%MZ), $("$EVALH" --version 2>/dev/null | head -n1), device $device, work $work"
if [ "$cpu" = 0 ]; then
  gpus="$(nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader 2>/dev/null)" \
    || gpus="none found (nvidia-smi failed or is missing)"
  echo "gpu-check: GPUs: $(echo "$gpus" | paste -sd';' -)"
fi
if have_hf; then
  echo "gpu-check: $("$PY" -c 'import torch, transformers; print("python3 torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__)' 2>/dev/null)"
fi
start=$SECONDS

# 1: the float64 reference fixtures
if [ "$cpu" = 1 ]; then
  fixtures 1a "check-fixtures cpu float32" "$FIXTURES" cpu float32
else
  fixtures 1a "check-fixtures $device float32" "$FIXTURES" "$device" float32
  fixtures 1b "check-fixtures $device bfloat16" "$FIXTURES" "$device" bfloat16
  fixtures 1c "check-fixtures $device float16" "$FIXTURES" "$device" float16
fi

# 2p (--cpu): hf_reference.py's own logic, no torch needed: it writes the fixtures' numbers
# through its code paths (failing on any row or position the fixtures never scored), and
# check-fixtures on that folder must pass as on the fixtures.
if [ "$cpu" = 1 ] && wanted 2p; then
  if ! command -v "$PY" >/dev/null 2>&1; then
    line 2p SKIP "hf_reference.py plumbing" "no $PY"
  elif "$PY" "$BENCH/hf_reference.py" --fixtures "$FIXTURES" --out "$work/hf-plumbing" --from-fixtures \
      >"$work/logs/hf-plumbing.log" 2>&1; then
    fixtures 2p "hf_reference.py plumbing, evalh cpu float32" "$work/hf-plumbing" cpu float32
  else
    line 2p FAIL "hf_reference.py plumbing" "$(tail -n1 "$work/logs/hf-plumbing.log") [log: $work/logs/hf-plumbing.log]"
  fi
fi

# 2: HF transformers as the reference
if wanted 2a || wanted 2b || wanted 2c; then
  hf_device=$([ "$cpu" = 1 ] && echo cpu || echo "$device")
  if ! have_hf; then
    line 2 SKIP "HF transformers reference" "$PY has no torch and transformers"
  elif ! hf_reference float32 "$hf_device"; then
    line 2 FAIL "HF transformers reference (float32)" "hf_reference.py failed [log: $work/logs/hf-float32.log]"
  else
    [ "$cpu" = 1 ] || fixtures 2a "HF fp32 ($hf_device) vs evalh $device float32" "$work/hf-float32" "$device" float32
    fixtures 2b "HF fp32 ($hf_device) vs evalh cpu float32" "$work/hf-float32" cpu float32
    if [ "$cpu" = 0 ] && wanted 2c; then
      if hf_reference bfloat16 "$hf_device"; then
        fixtures 2c "HF bf16 vs evalh $device bfloat16" "$work/hf-bfloat16" "$device" bfloat16
      else
        line 2c FAIL "HF bf16 vs evalh $device bfloat16" "hf_reference.py failed [log: $work/logs/hf-bfloat16.log]"
      fi
    fi
  fi
fi

# bench_field LOG WORKLOAD FIELD: a number from evalh bench's line for WORKLOAD
#   FIELD: items (items/s), tok (fwd tok/s), mfu (MFU %)
bench_field() {
  local re
  case "$3" in
    items) re='s/^[^ ]* *[0-9.]* s *\([0-9.,]*\) items\/s.*/\1/p' ;;
    tok) re='s/.* \([0-9.,]*\) fwd tok\/s.*/\1/p' ;;
    mfu) re='s/.*MFU *\([0-9.]*\)%.*/\1/p' ;;
  esac
  grep -E "^$2 " "$1" | head -n1 | sed -n "$re" | tr -d ,
}

# 3: speed side by side on a random 1.5B Llama
if [ "$cpu" = 0 ] && wanted 3; then
  t0=$SECONDS
  if ! have_hf; then
    line 3 SKIP "speed 1.5B bf16, evalh vs HF" "$PY has no torch and transformers"
  elif ! EVALH_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp ${EVALH_JAVA_OPTS:-}" "$EVALH" bench \
      --device "$device" --dtype bfloat16 --hidden 2048 --layers 16 --heads 32 --kv-heads 8 \
      --intermediate 8192 --vocab 128256 --workload rolling,fewshot --seq-len 2048 --rows 128 \
      --subjects 8 --questions 64 --shots-tokens 640 --question-tokens 64 --batch-tokens 65536 \
      --export "$work/llama-1b" >"$work/logs/3-evalh.log" 2>&1; then
    line 3 FAIL "speed 1.5B bf16, evalh vs HF" "evalh bench failed [log: $work/logs/3-evalh.log]"
  else
    L="$work/logs/3-evalh.log"
    ev_items=$(bench_field "$L" fewshot/shared items) ev_mfu5=$(bench_field "$L" fewshot/shared mfu)
    ev_tok=$(bench_field "$L" rolling tok) ev_mfur=$(bench_field "$L" rolling mfu)
    if "$PY" "$BENCH/hf_baseline.py" "$work/llama-1b" --device "$device" --tol 0.25 \
        >"$work/logs/3-hf.log" 2>&1; then status=PASS; else status=FAIL; fi
    hf_items=$(sed -n 's/^fewshot: .* = \([0-9.]*\) items\/s.*/\1/p' "$work/logs/3-hf.log")
    hf_tok=$(sed -n 's/^rolling: .* \([0-9.]*\) tokens\/s.*/\1/p' "$work/logs/3-hf.log")
    delta=$(sed -n 's/^max |d loglikelihood| = \([^ ]*\).*/\1/p' "$work/logs/3-hf.log")
    ratio=$(awk -v a="${ev_items:-0}" -v b="${hf_items:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    line 3 "$status" "speed 1.5B bf16, evalh vs HF" \
      "5-shot evalh ${ev_items:-?} items/s MFU ${ev_mfu5:-?}% (goal 40), HF ${hf_items:-?} items/s, x${ratio} (goal 2); rolling evalh ${ev_tok:-?} tok/s MFU ${ev_mfur:-?}% (goal 50), HF ${hf_tok:-?} tok/s; max|dLL| ${delta:-?} (tol 0.25) [$((SECONDS - t0))s]"
  fi
  rm -rf "$work/llama-1b"
fi

# 4: an 8B-shaped checkpoint
if [ "$cpu" = 0 ] && wanted 4; then
  t0=$SECONDS
  L="$work/logs/4-evalh.log"
  if EVALH_JAVA_OPTS="-Xmx40g -Djava.io.tmpdir=$work/tmp ${EVALH_JAVA_OPTS:-}" "$EVALH" bench \
      --device "$device" --dtype bfloat16 --hidden 4096 --layers 32 --heads 32 --kv-heads 8 \
      --intermediate 14336 --vocab 128256 --workload rolling --seq-len 2048 --rows 32 \
      --batch-tokens 65536 >"$L" 2>&1; then
    line 4 PASS "Llama-3-8B shape bf16 (random)" \
      "rolling $(bench_field "$L" rolling tok) tok/s, MFU $(bench_field "$L" rolling mfu)%; $(grep -i -m1 'peak GPU' "$L" | sed 's/^ *//; s/ (.*//' | grep . || echo 'peak GPU memory: not printed') [$((SECONDS - t0))s]"
  else
    line 4 FAIL "Llama-3-8B shape bf16 (random)" "evalh bench failed: $(tail -n1 "$L") [log: $L]"
  fi
fi

echo "gpu-check: $pass passed, $fail failed, $skip skipped in $((SECONDS - start)) s (logs: $work/logs)"
# On a GPU every check must run; with --cpu, the HF reference may be skipped (no transformers).
[ "$fail" = 0 ] && { [ "$cpu" = 1 ] || [ "$skip" = 0 ]; }
