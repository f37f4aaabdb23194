#!/usr/bin/env python3
"""The HF transformers baseline evalh's speed is compared with, scoring like lm-eval's HF backend.

Reads a folder written by `evalh bench --export DIR` (the random checkpoint, fewshot.jsonl with
evalh's per-choice log-likelihoods, and rolling.jsonl when the bench writes one), loads the
checkpoint with AutoModelForCausalLM in bfloat16 with attn_implementation="sdpa", and scores as
lm-eval's HFLM._loglikelihood_tokens does:

- fewshot: requests that share a context and have one-token continuations are one row (lm-eval's
  one-token continuation reuse): input = the context, right-padded into a batch of --batch-size
  rows, one forward pass, log_softmax over the vocabulary of the model's logits (in the logits'
  dtype, as lm-eval), the four choices gathered at the row's last position;
- rolling: every 2048-token row is one window (input = row[:-1], all positions scored), batched
  --rolling-batch-size at a time, log_softmax and gather as above.

It prints items/s and tokens/s for each workload and the largest |loglikelihood(evalh) -
loglikelihood(HF)|, and exits 1 when that exceeds --tol or a value is not finite.

    python3 bench/hf_baseline.py /tmp/evalh-bench --device cuda
"""
import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
import transformers
from transformers import AutoModelForCausalLM


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)


def forward_logprobs(model, rows, device, pad_id=0):
    """Right-padded batch of token rows -> log_softmax of the logits, [B, T, V], as lm-eval."""
    width = max(len(r) for r in rows)
    x = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        x[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    logits = model(input_ids=x.to(device), attention_mask=mask.to(device)).logits
    return F.log_softmax(logits, dim=-1)


def fewshot(model, items, device, batch):
    worst, tokens = 0.0, 0
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        lp = forward_logprobs(model, [it["context"] for it in chunk], device)
        for row, it in zip(lp, chunk):
            got = row[len(it["context"]) - 1, it["continuations"]].float().tolist()
            for g, want in zip(got, it["loglikelihoods"]):
                if not math.isfinite(g):
                    sys.exit("hf_baseline: non-finite log-likelihood")
                worst = max(worst, abs(g - want))
            tokens += len(it["context"])
    return worst, tokens


def rolling(model, rows, device, batch):
    worst, tokens = 0.0, 0
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        lp = forward_logprobs(model, [r["tokens"][:-1] for r in chunk], device)
        for row, r in zip(lp, chunk):
            target = torch.tensor(r["tokens"][1:], device=row.device)
            ll = row[: len(target)].gather(-1, target[:, None]).float().sum().item()
            if not math.isfinite(ll):
                sys.exit("hf_baseline: non-finite log-likelihood")
            if "loglikelihood" in r:
                worst = max(worst, abs(ll - r["loglikelihood"]))
            tokens += len(target)
    return worst, tokens


def timed(label, fn, model, data, device, batch, unit):
    fn(model, data[:batch], device, batch)  # warm-up
    sync(device)
    t0 = time.perf_counter()
    worst, tokens = fn(model, data, device, batch)
    sync(device)
    secs = time.perf_counter() - t0
    print(f"{label}: {len(data)} {unit} ({tokens} tokens) in {secs:.2f} s = {len(data) / secs:.2f} items/s,"
          f" {tokens / secs:.0f} tokens/s")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="folder written by evalh bench --export")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--batch-size", type=int, default=16, help="fewshot rows per forward pass")
    ap.add_argument("--rolling-batch-size", type=int, default=4, help="rolling rows per forward pass")
    ap.add_argument("--tol", type=float, default=0.25, help="largest |d loglikelihood| accepted")
    args = ap.parse_args()
    d = Path(args.dir)
    model = AutoModelForCausalLM.from_pretrained(
        d, dtype=torch.bfloat16, attn_implementation="sdpa", local_files_only=True
    ).to(args.device)
    model.eval()
    print(f"HF transformers {transformers.__version__}, torch {torch.__version__}, bfloat16, sdpa, {args.device}")
    worst = 0.0
    with torch.inference_mode():
        items = [json.loads(l) for l in (d / "fewshot.jsonl").read_text().splitlines() if l]
        worst = max(worst, timed("fewshot", fewshot, model, items, args.device, args.batch_size, "items"))
        if (d / "rolling.jsonl").exists():
            rows = [json.loads(l) for l in (d / "rolling.jsonl").read_text().splitlines() if l]
            worst = max(worst, timed("rolling", rolling, model, rows, args.device, args.rolling_batch_size, "rows"))
        else:
            print("rolling: skipped (the export holds no rolling.jsonl)")
    print(f"max |d loglikelihood| = {worst:.3e} (evalh vs HF, both bf16; tol {args.tol})")
    if worst > args.tol:
        sys.exit(1)


if __name__ == "__main__":
    main()
