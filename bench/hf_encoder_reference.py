#!/usr/bin/env python3
"""HF transformers' BertModel as an independent reference for `evalh embed` (run on a node with
torch and transformers; nothing here has run in CI).

For each text, compares `evalh embed --ckpt DIR --text T --json` (token ids and embedding) with
transformers on the same checkpoint: AutoTokenizer(text, truncation=True, max_length=max_seq_length)
for the ids, BertModel(input_ids, attention_mask).last_hidden_state, then the pooling that
1_Pooling/config.json names (cls, mean, max, mean_sqrt_len; several are concatenated in
sentence-transformers' order) and an L2 normalisation when modules.json has a Normalize module.
It also runs all texts as one padded HF batch, so HF's own padding invariance is measured, and,
when sentence-transformers is installed, SentenceTransformer(DIR).encode as a third opinion.
TF32 is switched off so that float32 on CUDA is float32.

    python3 bench/hf_encoder_reference.py --ckpt DIR --device cuda [--texts FILE] [--tol 1e-5]

DIR is a sentence-transformers checkpoint (e.g. all-MiniLM-L6-v2) or the tiny fixture
engine/src/test/resources/fixtures/tiny-bert/model (whose expected.json also holds the float64
numpy reference). FILE holds one text per line (default: a few built-in texts, one longer than
max_seq_length of the tiny fixture). Exit 1 when an id differs or an embedding is further than
--tol from HF in any dimension.
"""
import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

TEXTS = [
    "What is the order of the prime field?",
    "a",
    "",
    "Find all x in Z_7 such that x^2 + 1 = 0 (the polynomial is solvable).",
    "The United States history question: which court ruled, and what law was struck?",
    "Which of the following best describes the structure that collects urine in the body?",
    " ".join(["energy"] * 300),
]

MODES = ["pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_tokens",
         "pooling_mode_mean_sqrt_len_tokens"]


def st_config(ckpt):
    modules = json.loads((ckpt / "modules.json").read_text())
    pool_dir = next(ckpt / m["path"] for m in modules if m["type"].endswith("Pooling"))
    pool = json.loads((pool_dir / "config.json").read_text())
    modes = [m for m in MODES if pool.get(m)]
    normalize = any(m["type"].endswith("Normalize") for m in modules)
    cfg = json.loads((ckpt / "config.json").read_text())
    sb = ckpt / "sentence_bert_config.json"
    max_seq = None
    if sb.exists():
        max_seq = json.loads(sb.read_text()).get("max_seq_length")
    return modes, normalize, max_seq or cfg["max_position_embeddings"]


def pool(torch, h, mask, modes):
    """h [B, T, H] float32, mask [B, T]: sentence-transformers' Pooling.forward."""
    m = mask.unsqueeze(-1).to(h.dtype)
    out = []
    for mode in modes:
        if mode == "pooling_mode_cls_token":
            out.append(h[:, 0])
        elif mode == "pooling_mode_max_tokens":
            out.append(torch.where(m > 0, h, torch.full_like(h, -1e9)).max(1).values)
        else:
            s = (h * m).sum(1)
            n = m.sum(1).clamp(min=1e-9)
            out.append(s / n if mode == "pooling_mode_mean_tokens" else s / torch.sqrt(n))
    return torch.cat(out, 1)


def evalh_embed(evalh, ckpt, text, device):
    cmd = [evalh, "embed", "--ckpt", str(ckpt), "--text", text, "--json", "--device", device]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit(f"evalh embed failed ({r.returncode}): {r.stderr.strip()}")
    lines = r.stdout.strip().splitlines()
    if len(lines) != 1:
        sys.exit(f"evalh embed --json printed {len(lines)} lines, expected exactly one object")
    return json.loads(lines[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--evalh", default=str(Path(__file__).resolve().parent.parent / "evalh"))
    ap.add_argument("--texts", type=Path)
    ap.add_argument("--tol", type=float, default=1e-5)
    a = ap.parse_args()

    import torch
    from transformers import AutoTokenizer, BertModel

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    texts = a.texts.read_text(encoding="utf-8").splitlines() if a.texts else TEXTS
    modes, normalize, max_seq = st_config(a.ckpt)
    tok = AutoTokenizer.from_pretrained(a.ckpt, local_files_only=True)
    model = BertModel.from_pretrained(
        a.ckpt, dtype=torch.float32, attn_implementation="eager", add_pooling_layer=False,
        local_files_only=True).to(a.device).eval()
    print(f"pooling {modes}, normalize {normalize}, max_seq_length {max_seq}")

    def hf(batch):
        enc = tok(batch, padding=True, truncation=True, max_length=max_seq, return_tensors="pt")
        enc = {k: v.to(a.device) for k, v in enc.items()}
        with torch.inference_mode():
            h = model(**enc).last_hidden_state.float()
            e = pool(torch, h, enc["attention_mask"], modes)
            if normalize:
                e = torch.nn.functional.normalize(e, p=2, dim=1)
        ids = [[int(t) for t, m in zip(row, mask) if m] for row, mask in
               zip(enc["input_ids"].tolist(), enc["attention_mask"].tolist())]
        return ids, e.double().cpu().tolist()

    batch_ids, batch_emb = hf(texts)
    worst, worst_batch, bad = 0.0, 0.0, 0
    for i, t in enumerate(texts):
        ids, emb = hf([t])
        ev = evalh_embed(a.evalh, a.ckpt, t, a.device)
        if ev["ids"] != ids[0]:
            bad += 1
            print(f"text {i}: ids differ\n  evalh {ev['ids']}\n  HF    {ids[0]}")
            continue
        d = max(abs(x - y) for x, y in zip(ev["embedding"], emb[0]))
        db = max(abs(x - y) for x, y in zip(batch_emb[i], emb[0]))
        worst, worst_batch = max(worst, d), max(worst_batch, db)
        if d > a.tol or len(ev["embedding"]) != len(emb[0]):
            bad += 1
        print(f"text {i}: {len(ids[0])} tokens, max |evalh - HF| {d:.3g}, HF batch vs alone {db:.3g}")
    try:
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(a.ckpt), device=a.device).encode(texts, convert_to_numpy=True)
        ds = max(abs(float(x) - y) for i in range(len(texts)) for x, y in zip(st[i], batch_emb[i]))
        print(f"sentence-transformers vs HF batch: max |diff| {ds:.3g}")
    except ImportError:
        print("sentence-transformers not installed: skipped that comparison")
    expected = a.ckpt.parent / "expected.json"
    if expected.exists() and not a.texts:
        ref = {it["text"]: it for it in json.loads(expected.read_text())["items"]}
        key = "normalized" if normalize else "pooled"
        mode = modes[0].replace("pooling_mode_", "").replace("_tokens", "").replace("_token", "")
        dr = max((abs(x - y) for i, t in enumerate(texts) if t in ref and len(modes) == 1
                  for x, y in zip(batch_emb[i], ref[t][key][mode])), default=math.nan)
        print(f"HF vs the float64 numpy reference (expected.json): max |diff| {dr:.3g}")
    print(f"worst max |evalh - HF| {worst:.3g} (tol {a.tol}); HF batch vs alone {worst_batch:.3g};"
          f" {bad} of {len(texts)} texts failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
