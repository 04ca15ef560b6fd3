#!/usr/bin/env python3
"""PyTorch's side of bench/compare-torch.sh: trains the elaswave model shape in PyTorch on one
thread and prints one JSON line of per-step timings.

The model is the one in engine/ (GPT-2-style, pre-norm): token + position embeddings, `blocks`
blocks of LayerNorm, a fused q|k|v Linear with bias, causal softmax attention, a projection
Linear, LayerNorm, Linear(d, 4d), tanh-GELU, Linear(4d, d), dropout on both residual branches;
a final LayerNorm and an untied LM head without bias; cross-entropy. AdamW (betas 0.9/0.95,
eps 1e-8, weight decay 0.1 on the matrices only), gradient clipping at 1.0, and a step of G
micro-batches of B sequences of T characters of tinyshakespeare, each micro-batch's loss scaled
by 1/G, as TrainConfig.defaults does. nn modules throughout, as a user would write it.

Needs Debian's python3-torch (run it with /usr/bin/python3); bench/install-torch.sh installs it.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

PRESETS = {  # name: (dim, blocks, heads, seq, dropout, micro-batch size, lr)
    "tiny": (32, 2, 2, 16, 0.1, 4, 3e-3),
    "small": (128, 6, 4, 64, 0.0, 8, 3e-3),
    "base": (256, 8, 8, 128, 0.1, 8, 1e-3),
}


def blas_library():
    """The BLAS shared object this process has mapped (torch's matmuls go through it)."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower()}
        return sorted(libs)
    except OSError:
        return []


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="small", choices=sorted(PRESETS))
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--micro-batches", type=int, default=4)
    p.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data",
                                                    "tinyshakespeare.txt"))
    a = p.parse_args()
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError:
        print("compare_torch: PyTorch is not installed for " + sys.executable
              + " (bench/install-torch.sh installs Debian's python3-torch and libopenblas0-pthread)", file=sys.stderr)
        sys.exit(2)
    torch.set_num_threads(1)
    torch.manual_seed(1337)
    dim, blocks, heads, seq, dropout, batch, lr = PRESETS[a.model]
    text = open(a.corpus, encoding="utf-8").read()
    chars = sorted(set(text))
    vocab = len(chars)
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(dim)
            self.qkv = nn.Linear(dim, 3 * dim)
            self.proj = nn.Linear(dim, dim)
            self.ln2 = nn.LayerNorm(dim)
            self.fc = nn.Linear(dim, 4 * dim)
            self.fc_proj = nn.Linear(4 * dim, dim)
            self.drop = nn.Dropout(dropout)
            self.register_buffer("mask", torch.tril(torch.ones(seq, seq, dtype=torch.bool)))

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
            hs = c // heads
            q = q.view(b, t, heads, hs).transpose(1, 2)
            k = k.view(b, t, heads, hs).transpose(1, 2)
            v = v.view(b, t, heads, hs).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
            att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
            x = x + self.drop(self.proj(y))
            return x + self.drop(self.fc_proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh")))

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Embedding(vocab, dim)
            self.wpe = nn.Embedding(seq, dim)
            self.blocks = nn.ModuleList(Block() for _ in range(blocks))
            self.lnf = nn.LayerNorm(dim)
            self.lm = nn.Linear(dim, vocab, bias=False)

        def forward(self, idx, targets):
            x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
            for blk in self.blocks:
                x = blk(x)
            logits = self.lm(self.lnf(x))
            return F.cross_entropy(logits.view(-1, vocab), targets.view(-1))

    model = Model()
    decay = [q for n, q in model.named_parameters() if q.dim() == 2 and not n.startswith(("wte", "wpe"))]
    rest = [q for n, q in model.named_parameters() if not (q.dim() == 2 and not n.startswith(("wte", "wpe")))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.95), eps=1e-8)
    gen = torch.Generator().manual_seed(7)

    def micro_batch():
        starts = torch.randint(0, len(data) - seq - 1, (batch,), generator=gen)
        x = torch.stack([data[s:s + seq] for s in starts])
        y = torch.stack([data[s + 1:s + seq + 1] for s in starts])
        return x, y

    g = a.micro_batches
    tokens = g * batch * seq
    millis = []
    losses = []
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        total = 0.0
        for _ in range(g):
            x, y = micro_batch()
            loss = model(x, y) / g
            loss.backward()
            total += loss.item()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ms = (time.perf_counter() - t0) * 1000
        if step >= a.warmup:
            millis.append(ms)
        losses.append(total)
    median = statistics.median(millis)
    print(json.dumps({
        "engine": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
        "blas": blas_library(), "model": a.model, "tokensPerStep": tokens, "steps": a.steps, "warmup": a.warmup,
        "medianStepMillis": round(median, 2), "tokensPerSecond": round(tokens / (median / 1000), 1),
        "minStepMillis": round(min(millis), 2), "maxStepMillis": round(max(millis), 2),
        "firstLoss": round(losses[0], 4), "lastLoss": round(losses[-1], 4)}))


if __name__ == "__main__":
    main()
