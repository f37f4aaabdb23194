#!/usr/bin/env python3
"""A plain eager PyTorch scoring loop over the same weights and items as `evalh bench --export DIR`.

It is the baseline evalh is measured against: HF transformers' Llama math written out in eager
PyTorch (float32), one forward pass per 5-shot MMLU-shaped item scoring its four one-token choices
from the last position (lm-eval's behaviour for requests that share a context), items batched
`--batch-size` at a time. It prints items/s and the largest difference from evalh's
log-likelihoods.

    apt-get install python3-torch libopenblas0-pthread   # Debian; without OpenBLAS, torch uses the
                                                         # reference BLAS and is ~30x slower
    ./evalh bench --workload fewshot --export /tmp/evalh-fewshot
    /usr/bin/python3 bench/eager_pytorch.py /tmp/evalh-fewshot --threads 2
"""
import argparse
import json
import math
import struct
import time
from pathlib import Path

import numpy as np
import torch


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = memoryview(raw)[8 + n :]
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        buf = np.frombuffer(data[a:b], dtype=np.uint16 if t["dtype"] in ("BF16", "F16") else np.float32)
        if t["dtype"] == "BF16":
            arr = (buf.astype(np.uint32) << 16).view(np.float32)
        elif t["dtype"] == "F16":
            arr = buf.view(np.float16).astype(np.float32)
        else:
            arr = buf.copy()
        out[name] = torch.from_numpy(arr.reshape(t["shape"]).copy())
    return out


class Llama:
    def __init__(self, ckpt):
        cfg = json.loads((Path(ckpt) / "config.json").read_text())
        self.w = load_safetensors(Path(ckpt) / "model.safetensors")
        self.layers = cfg["num_hidden_layers"]
        self.heads = cfg["num_attention_heads"]
        self.kv = cfg.get("num_key_value_heads", self.heads)
        self.dim = cfg.get("head_dim", cfg["hidden_size"] // self.heads)
        self.eps = cfg["rms_norm_eps"]
        theta = cfg.get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.dim, 2, dtype=torch.float64) / self.dim))

    def norm(self, x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    @staticmethod
    def rotate_half(x):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    def forward_last(self, ids):
        """Log-softmax of the last position of each row of ids [B, T] (no padding)."""
        b, t = ids.shape
        w = self.w
        h = w["model.embed_tokens.weight"][ids]
        f = torch.outer(torch.arange(t, dtype=torch.float64), self.inv_freq)
        emb = torch.cat((f, f), dim=-1)
        cos, sin = emb.cos().float(), emb.sin().float()
        mask = torch.full((t, t), float("-inf")).triu(1)
        for i in range(self.layers):
            p = f"model.layers.{i}."
            x = self.norm(h, w[p + "input_layernorm.weight"])
            q = (x @ w[p + "self_attn.q_proj.weight"].T).view(b, t, self.heads, self.dim).transpose(1, 2)
            k = (x @ w[p + "self_attn.k_proj.weight"].T).view(b, t, self.kv, self.dim).transpose(1, 2)
            v = (x @ w[p + "self_attn.v_proj.weight"].T).view(b, t, self.kv, self.dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            k = k.repeat_interleave(self.heads // self.kv, dim=1)
            v = v.repeat_interleave(self.heads // self.kv, dim=1)
            a = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(self.dim) + mask, dim=-1) @ v
            h = h + a.transpose(1, 2).reshape(b, t, -1) @ w[p + "self_attn.o_proj.weight"].T
            x = self.norm(h, w[p + "post_attention_layernorm.weight"])
            gate = x @ w[p + "mlp.gate_proj.weight"].T
            up = x @ w[p + "mlp.up_proj.weight"].T
            h = h + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
        last = self.norm(h[:, -1], w["model.norm.weight"])
        return torch.log_softmax(last @ w["lm_head.weight"].T, dim=-1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="folder written by evalh bench --export")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    items = [json.loads(l) for l in (Path(args.dir) / "fewshot.jsonl").read_text().splitlines() if l]
    model = Llama(args.dir)
    with torch.inference_mode():
        model.forward_last(torch.tensor([items[0]["context"]]))  # warm-up
        worst = 0.0
        start = time.perf_counter()
        for i in range(0, len(items), args.batch_size):
            chunk = items[i : i + args.batch_size]
            lsm = model.forward_last(torch.tensor([it["context"] for it in chunk]))
            for row, it in zip(lsm, chunk):
                for c, want in zip(it["continuations"], it["loglikelihoods"]):
                    worst = max(worst, abs(row[c].item() - want))
        secs = time.perf_counter() - start
    print(f"eager PyTorch {torch.__version__}, {torch.get_num_threads()} threads, batch {args.batch_size}:"
          f" {len(items)} items in {secs:.2f} s = {len(items) / secs:.2f} items/s")
    print(f"max |loglikelihood(evalh) - loglikelihood(eager)| = {worst:.2e}")


if __name__ == "__main__":
    main()
