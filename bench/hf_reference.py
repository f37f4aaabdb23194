#!/usr/bin/env python3
"""HF transformers as an independent reference for `evalh check-fixtures`.

Loads each tiny checkpoint of the fixtures with transformers (AutoModelForCausalLM,
attn_implementation="eager", the chosen dtype and device) and recomputes, from the same token ids,
every number check-fixtures compares: per-token log-probs of the sequences, lm-eval loglikelihood
requests (continuation log-probs, sums, is_greedy) and loglikelihood_rolling windows (sums,
bits-per-byte). It writes them in the fixtures' own format to OUT/expected/ (OUT/models links to
the fixtures' models), so that

    evalh check-fixtures --fixtures OUT --device cuda --dtype float32

compares evalh with HF instead of with the float64 reference (--from-fixtures writes the fixtures'
own numbers through the same code, a check of this script that needs no torch). Token ids and splits are the
fixtures' (this script never tokenizes). Logits are upcast to float32 before the log-softmax, as
transformers does for its loss. It also prints how far HF itself is from the float64 fixtures.

    python3 bench/hf_reference.py --fixtures fixtures --out /tmp/hf-float32 --dtype float32 --device cuda
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import sys
from pathlib import Path

DTYPES = ("bfloat16", "float16", "float32")


class Scorer:
    """HF transformers on one checkpoint. The fixture logic below sees only score()."""

    def __init__(self, model_dir, dtype, device):
        import torch
        from transformers import AutoModelForCausalLM

        self.torch, self.device = torch, device
        self.model = AutoModelForCausalLM.from_pretrained(
            model_dir, dtype=getattr(torch, dtype), attn_implementation="eager", local_files_only=True
        ).to(device)
        self.model.eval()

    def score(self, inp, targets):
        """One forward pass over the row inp; for each (position, token) of targets, the token's
        log-prob at that position and the best log-prob of any other token (float32 log-softmax of
        the logits, as transformers computes its loss)."""
        torch = self.torch
        with torch.inference_mode():
            x = torch.tensor([inp], dtype=torch.long, device=self.device)
            lp = torch.log_softmax(self.model(input_ids=x).logits[0].float(), dim=-1).double().cpu()
        out = []
        for pos, tok in targets:
            row = lp[pos].clone()
            chosen = row[tok].item()
            row[tok] = -math.inf
            out.append((chosen, row.max().item()))
        return out


class FixtureScorer:
    """--from-fixtures: answers score() from the float64 fixtures themselves (no torch), and fails
    on any row, position or token they never scored. A check of this script's plumbing: evalh
    check-fixtures on its output must pass as on the fixtures."""

    def __init__(self, fixtures, model_dir):
        e, m = fixtures / "expected", model_dir.name
        self.table, self.windows = {}, {}
        for seq in json.loads((e / f"logprobs-{m}.json").read_text())["sequences"]:
            ids = seq["input_ids"]
            for i, v in enumerate(seq["next_token_logprobs"]):
                self.table[(tuple(ids), i, ids[i + 1])] = (v, math.nan)
        for it in json.loads((e / f"loglikelihood-{m}.json").read_text())["items"]:
            inp, cont = it["input_ids"], it["cont_ids"]
            for j, tok in enumerate(cont):
                v, margin = it["cont_logprobs"][j], it["greedy_margins"][j]
                self.table[(tuple(inp), len(inp) - len(cont) + j, tok)] = (v, v - margin)
        for block in json.loads((e / f"rolling-{m}.json").read_text())["blocks"]:
            for d in block["documents"]:
                for w in d["window_details"]:
                    self.windows[tuple((w["context_ids"] + w["pred_ids"])[:-1])] = w

    def score(self, inp, targets):
        keys = [(tuple(inp), p, t) for p, t in targets]
        if all(k in self.table for k in keys):
            return [self.table[k] for k in keys]
        w = self.windows.get(tuple(inp))
        n = len(w["pred_ids"]) if w else 0
        if w is None or targets != [(len(inp) - n + j, t) for j, t in enumerate(w["pred_ids"])]:
            sys.exit(f"hf_reference --from-fixtures: the fixtures never scored {targets[:3]}... of a row of {len(inp)}")
        share = w["loglikelihood"] / n  # a window's sum is all the rolling fixtures hold
        return [(share, math.nan)] * n


def continuation(s, inp, cont):
    """The last len(cont) positions of inp scoring cont: log-probs, is_greedy, greedy margins."""
    got = s.score(inp, [(len(inp) - len(cont) + j, tok) for j, tok in enumerate(cont)])
    return [c for c, _ in got], all(not c < b for c, b in got), [c - b for c, b in got]


def finite(values, where):
    for v in values:
        if not math.isfinite(v):
            sys.exit(f"hf_reference: non-finite log-prob in {where}")


def redo_logprobs(doc, s):
    worst = 0.0
    for seq in doc["sequences"]:
        ids = seq["input_ids"]
        got = [c for c, _ in s.score(ids, [(i, ids[i + 1]) for i in range(len(ids) - 1)])] if len(ids) > 1 else []
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
        got, greedy, margins = continuation(s, it["input_ids"], it["cont_ids"])
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
                got, _, _ = continuation(s, inp, w["pred_ids"])
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
    ap.add_argument("--dtype", choices=DTYPES, default="float32")
    ap.add_argument("--device", default="cuda", help="cpu, cuda or cuda:N")
    ap.add_argument("--from-fixtures", action="store_true", help="plumbing check: no model, the fixtures' own numbers")
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    if args.from_fixtures:
        write(fixtures, Path(args.out), lambda d: FixtureScorer(fixtures, d), "the fixtures' own numbers (--from-fixtures)")
        return
    import torch
    import transformers

    torch.set_float32_matmul_precision("highest")  # no TF32: float32 means float32
    what = f"HF transformers {transformers.__version__} (eager attention, {args.dtype}, {args.device}, torch {torch.__version__})"
    print(what)
    write(fixtures, Path(args.out), lambda d: Scorer(d, args.dtype, args.device), what)


def write(fixtures, out, scorer, what):
    """Recomputes the fixtures' numbers with scorer(model_dir) and writes them to out."""
    if out.exists() and any(out.iterdir()):
        sys.exit(f"hf_reference: {out} exists and is not empty")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "expected").mkdir(parents=True)
    models = sorted(p.name[len("logprobs-"):-len(".json")] for p in (fixtures / "expected").glob("logprobs-*.json"))
    if not models:
        sys.exit(f"hf_reference: no expected/logprobs-*.json in {fixtures}")
    for model in models:
        s = scorer(fixtures / "models" / model)
        for kind, redo in (("logprobs", redo_logprobs), ("loglikelihood", redo_loglikelihood), ("rolling", redo_rolling)):
            name = f"{kind}-{model}.json"
            doc = json.loads((fixtures / "expected" / name).read_text())
            worst = redo(doc, s)
            doc["description"] = (
                f"recomputed by bench/hf_reference.py with {what} on the fixture's token ids."
                f" Original: {doc.get('description', '')}"
            )
            (tmp / "expected" / name).write_text(json.dumps(doc, indent=1))
            unit = "summed log-likelihood" if kind == "rolling" else "token log-prob"
            print(f"{model} {kind}: against the float64 fixtures, max |d {unit}| = {worst:.2e}")
        del s
    shutil.copy(fixtures / "expected" / "tokenization-tiny-bpe.json", tmp / "expected")
    os.symlink(fixtures / "models", tmp / "models")
    write_sums(tmp)
    if out.exists():
        out.rmdir()
    tmp.rename(out)
    print(f"wrote {out}")


def write_sums(root):
    """SHA256SUMS of every file under root (the linked models too), in the fixtures' format:
    check-fixtures verifies the files it reads against it before comparing anything."""
    lines = []
    for d, _, names in os.walk(root, followlinks=True):
        for n in names:
            f = Path(d) / n
            if f.name == "SHA256SUMS":
                continue
            lines.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  ./{f.relative_to(root).as_posix()}")
    (root / "SHA256SUMS").write_text("\n".join(sorted(lines, key=lambda l: l[66:])) + "\n")


if __name__ == "__main__":
    main()
