#!/usr/bin/env python3
"""HF transformers as an independent reference for `evalh check-fixtures`.

Loads each tiny checkpoint of the fixtures with transformers (AutoModelForCausalLM,
attn_implementation="eager", the chosen dtype and device) and recomputes, from the same token ids,
every number check-fixtures compares: per-token log-probs of the sequences, lm-eval loglikelihood
requests (continuation log-probs, sums, is_greedy) and loglikelihood_rolling windows (sums,
bits-per-byte). It writes them in the fixtures' own format to OUT/expected/ (OUT/models links to
the fixtures' models), so that

    evalh check-fixtures --fixtures OUT --device cuda --dtype float32

compares evalh with HF instead of with the float64 reference. Token ids and splits are the
fixtures' (this script never tokenizes). Logits are upcast to float32 before the log-softmax, as
transformers does for its loss. It also prints how far HF itself is from the float64 fixtures.

    python3 bench/hf_reference.py --fixtures fixtures --out /tmp/hf-float32 --dtype float32 --device cuda
"""
import argparse
import json
import math
import os
import shutil
import sys
from pathlib import Path

import torch
import transformers
from transformers import AutoModelForCausalLM

MODELS = ("tiny-llama", "tiny-qwen2")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class Scorer:
    def __init__(self, model_dir, dtype, device):
        self.device = device
        self.model = AutoModelForCausalLM.from_pretrained(
            model_dir, dtype=dtype, attn_implementation="eager", local_files_only=True
        ).to(device)
        self.model.eval()

    def logprobs(self, ids):
        """float32 log-softmax over the vocabulary at every position of one row of ids: [T, V]."""
        with torch.inference_mode():
            x = torch.tensor([ids], dtype=torch.long, device=self.device)
            logits = self.model(input_ids=x).logits[0]
            return torch.log_softmax(logits.float(), dim=-1).double().cpu()

    def continuation(self, inp, cont):
        """The last len(cont) positions of inp scoring cont: log-probs, is_greedy, greedy margins."""
        lp = self.logprobs(inp)
        out, margins, greedy = [], [], True
        for j, tok in enumerate(cont):
            row = lp[len(inp) - len(cont) + j]
            chosen = row[tok].item()
            others = row.clone()
            others[tok] = -math.inf
            best_other = others.max().item()
            out.append(chosen)
            margins.append(chosen - best_other)
            greedy &= chosen >= best_other
        return out, greedy, margins


def finite(values, where):
    for v in values:
        if not math.isfinite(v):
            sys.exit(f"hf_reference: non-finite log-prob in {where}")


def redo_logprobs(doc, s):
    worst = 0.0
    for seq in doc["sequences"]:
        ids = seq["input_ids"]
        lp = s.logprobs(ids) if len(ids) > 1 else None
        got = [lp[i, ids[i + 1]].item() for i in range(len(ids) - 1)]
        finite(got, seq["name"])
        worst = max([worst] + [abs(a - b) for a, b in zip(got, seq["next_token_logprobs"])])
        for k in ("argmax", "top2_gap", "full_logprobs", "full_logits"):
            seq.pop(k, None)
        seq["next_token_logprobs"] = got
        seq["sum_next_token_logprobs"] = sum(got)
    return worst


def redo_loglikelihood(doc, s):
    worst = 0.0
    for it in doc["items"]:
        got, greedy, margins = s.continuation(it["input_ids"], it["cont_ids"])
        finite(got, it["name"])
        worst = max([worst] + [abs(a - b) for a, b in zip(got, it["cont_logprobs"])])
        it.pop("greedy_ids", None)
        it.update(cont_logprobs=got, sum_logprob=sum(got), is_greedy=greedy, greedy_margins=margins)
    return worst


def redo_rolling(doc, s):
    worst = 0.0
    max_length = doc["max_length"]
    for block in doc["blocks"]:
        total_ll, total_bytes = 0.0, 0
        for d in block["documents"]:
            ll = 0.0
            for w in d["window_details"]:
                inp = (w["context_ids"] + w["pred_ids"])[-(max_length + 1):][:-1]
                got, _, _ = s.continuation(inp, w["pred_ids"])
                finite(got, d["name"])
                w["loglikelihood"] = sum(got)
                ll += w["loglikelihood"]
            worst = max(worst, abs(ll - d["loglikelihood"]))
            d["loglikelihood"] = ll
            d["bits_per_byte"] = -(ll / d["n_bytes"]) / math.log(2)
            d["byte_perplexity"] = math.exp(-ll / d["n_bytes"])
            d["word_perplexity"] = math.exp(-ll / d["n_words"])
            total_ll += ll
            total_bytes += d["n_bytes"]
        block["aggregate"] = {
            "loglikelihood": total_ll,
            "n_bytes": total_bytes,
            "bits_per_byte": -(total_ll / total_bytes) / math.log(2),
        }
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", required=True, help="folder with models/ and expected/")
    ap.add_argument("--out", required=True, help="new folder to write (must not exist or be empty)")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float32")
    ap.add_argument("--device", default="cuda", help="cpu, cuda or cuda:N")
    args = ap.parse_args()
    fixtures, out = Path(args.fixtures).resolve(), Path(args.out)
    if out.exists() and any(out.iterdir()):
        sys.exit(f"hf_reference: {out} exists and is not empty")
    torch.set_float32_matmul_precision("highest")  # no TF32: float32 means float32
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "expected").mkdir(parents=True)
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, {args.dtype} on {args.device}")
    for model in MODELS:
        s = Scorer(fixtures / "models" / model, DTYPES[args.dtype], args.device)
        for kind, redo in (("logprobs", redo_logprobs), ("loglikelihood", redo_loglikelihood), ("rolling", redo_rolling)):
            name = f"{kind}-{model}.json"
            doc = json.loads((fixtures / "expected" / name).read_text())
            worst = redo(doc, s)
            doc["description"] = (
                f"recomputed by bench/hf_reference.py: HF transformers {transformers.__version__}"
                f" (eager attention, {args.dtype}, {args.device}, torch {torch.__version__}) on the"
                f" fixture's token ids. Original: {doc.get('description', '')}"
            )
            (tmp / "expected" / name).write_text(json.dumps(doc, indent=1))
            unit = "summed log-likelihood" if kind == "rolling" else "token log-prob"
            print(f"{model} {kind}: HF vs the float64 fixtures, max |d {unit}| = {worst:.2e}")
        del s
    shutil.copy(fixtures / "expected" / "tokenization-tiny-bpe.json", tmp / "expected")
    os.symlink(fixtures / "models", tmp / "models")
    if out.exists():
        out.rmdir()
    tmp.rename(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
