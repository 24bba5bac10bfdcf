"""Grok-2 as llama.cpp's `grok` graph computes it (src/models/grok.cpp, llama-graph.cpp), in PyTorch.

Every step follows the graph: embeddings × embedding_scale; per layer RMSNorm → Q/K/V →
NEOX RoPE → scores q·k (no 1/√d) → 30·tanh(scores·attn_output_scale/30) → causal softmax →
·V → output projection → attn_output_norm → + residual; ffn_norm → MoE (softmax router, top-k,
weights renormalised, GELU-gated experts) and the dense GELU-gated MLP → (dense + moe)·√2/2 →
post_ffw_norm → + residual; final norm → output → × logit_scale → 50·tanh(x/50).

`emulate_ggml=True` also rounds where ggml's CPU backend rounds to F16: the activations that
meet an F16 weight in a matmul, K and V in the F16 cache, the attention probabilities before
they meet V, and GELU's input and output (ggml looks GELU up in an F16 table).
"""
import json
import math

import torch
import torch.nn.functional as F


def tensor_layout(cfg):
    """Names and row-major shapes in the GGUF's tensor order (ggml dims reversed)."""
    e, v, x, f, fx = cfg["embedding"], cfg["vocab"], cfg["experts"], cfg["denseFfn"], cfg["expertFfn"]
    hd = cfg["heads"] * cfg["headDim"]
    kv = cfg["kvHeads"] * cfg["headDim"]
    out = [("token_embd.weight", (v, e))]
    for i in range(cfg["layers"]):
        b = f"blk.{i}."
        out += [
            (b + "attn_norm.weight", (e,)),
            (b + "attn_q.weight", (hd, e)),
            (b + "attn_k.weight", (kv, e)),
            (b + "attn_v.weight", (kv, e)),
            (b + "attn_output.weight", (e, hd)),
            (b + "attn_output_norm.weight", (e,)),
            (b + "ffn_norm.weight", (e,)),
        ]
        if f > 0:
            out += [(b + "ffn_gate.weight", (f, e)), (b + "ffn_up.weight", (f, e)), (b + "ffn_down.weight", (e, f))]
        out += [
            (b + "ffn_gate_inp.weight", (x, e)),
            (b + "ffn_gate_exps.weight", (x, fx, e)),
            (b + "ffn_up_exps.weight", (x, fx, e)),
            (b + "ffn_down_exps.weight", (x, e, fx)),
            (b + "post_ffw_norm.weight", (e,)),
        ]
    out += [("output_norm.weight", (e,)), ("output.weight", (v, e))]
    return out


def load_config(path):
    with open(path) as f:
        return json.load(f)


def f16(t):
    return t.to(torch.float16).to(t.dtype)


class Grok(torch.nn.Module):
    def __init__(self, cfg, emulate_ggml=False):
        super().__init__()
        self.cfg = cfg
        self.emulate = emulate_ggml
        self.names = []
        for name, shape in tensor_layout(cfg):
            self.names.append(name)
            self.register_parameter(name.replace(".", "__"), torch.nn.Parameter(torch.zeros(shape)))
        d = cfg["headDim"]
        inv = cfg["ropeFreqBase"] ** (-torch.arange(0, d // 2, dtype=torch.float64) * 2 / d)
        self.register_buffer("inv_freq", inv, persistent=False)

    def w(self, name):
        return getattr(self, name.replace(".", "__"))

    def init_weights(self, seed):
        g = torch.Generator().manual_seed(seed)
        layers = self.cfg["layers"]
        with torch.no_grad():
            for name in self.names:
                p = self.w(name)
                if p.dim() == 1:
                    p.fill_(1.0)
                    continue
                std = 0.02
                if name.endswith(("attn_output.weight", "ffn_down.weight", "ffn_down_exps.weight")):
                    std = 0.02 / math.sqrt(2 * layers)
                p.copy_(torch.randn(p.shape, generator=g) * std)

    # -- pieces -------------------------------------------------------------------------------
    def mm(self, x, weight):
        """x @ weightᵀ; ggml converts the activations to F16 before meeting an F16 weight."""
        if self.emulate:
            x = f16(x)
        return x @ weight.transpose(-1, -2)

    def rms(self, x, weight):
        eps = self.cfg["rmsEps"]
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight

    def gelu(self, x):
        if not self.emulate:
            return F.gelu(x, approximate="tanh")
        y = F.gelu(f16(x), approximate="tanh")
        y = f16(y)
        return torch.where(x <= -10, torch.zeros_like(x), torch.where(x >= 10, x, y))

    def rope(self, x, pos):
        # x: (B, T, H, D); NEOX pairs dimension i with i + D/2.
        d = x.shape[-1]
        ang = pos[:, None].to(torch.float64) * self.inv_freq[None, :]
        cos = torch.cos(ang).to(x.dtype)[None, :, None, :]
        sin = torch.sin(ang).to(x.dtype)[None, :, None, :]
        x0, x1 = x[..., : d // 2], x[..., d // 2:]
        return torch.cat([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1)

    def attention(self, i, h, pos):
        cfg = self.cfg
        b, t, _ = h.shape
        nh, nkv, d = cfg["heads"], cfg["kvHeads"], cfg["headDim"]
        p = f"blk.{i}."
        q = self.mm(h, self.w(p + "attn_q.weight")).view(b, t, nh, d)
        k = self.mm(h, self.w(p + "attn_k.weight")).view(b, t, nkv, d)
        v = self.mm(h, self.w(p + "attn_v.weight")).view(b, t, nkv, d)
        q, k = self.rope(q, pos), self.rope(k, pos)
        if self.emulate:  # the KV cache holds F16; q meets the F16 K as F16
            q, k, v = f16(q), f16(k), f16(v)
        rep = nh // nkv
        k = k.repeat_interleave(rep, dim=2)
        v = v.repeat_interleave(rep, dim=2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # (B, H, T, D)
        scores = q @ k.transpose(-1, -2)
        cap = cfg["attnLogitSoftcap"]
        scores = cap * torch.tanh(scores * (cfg["attnOutputScale"] / cap))
        mask = torch.ones(t, t, dtype=torch.bool, device=h.device).triu(1)
        scores = scores.masked_fill(mask, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        if self.emulate:
            probs = f16(probs)
        out = (probs @ v).transpose(1, 2).reshape(b, t, nh * d)
        return self.mm(out, self.w(p + "attn_output.weight"))

    def moe(self, i, h):
        cfg = self.cfg
        p = f"blk.{i}."
        x, k = cfg["experts"], cfg["expertsUsed"]
        flat = h.reshape(-1, h.shape[-1])
        logits = self.mm(flat, self.w(p + "ffn_gate_inp.weight"))
        probs = torch.softmax(logits, dim=-1)
        top_p, top_i = probs.topk(k, dim=-1)
        weights = top_p / top_p.sum(-1, keepdim=True).clamp_min(6.103515625e-5)
        gate_w, up_w, down_w = self.w(p + "ffn_gate_exps.weight"), self.w(p + "ffn_up_exps.weight"), self.w(p + "ffn_down_exps.weight")
        out = torch.zeros_like(flat)
        for e in range(x):
            rows, slot = (top_i == e).nonzero(as_tuple=True)
            if rows.numel() == 0:
                continue
            xe = flat[rows]
            y = self.gelu(self.mm(xe, gate_w[e])) * self.mm(xe, up_w[e])
            y = self.mm(y, down_w[e]) * weights[rows, slot, None]
            out = out.index_add(0, rows, y)
        # Switch-style balance: fraction routed × mean probability, per expert.
        frac = F.one_hot(top_i, x).float().sum(1).mean(0) / k
        aux = x * (frac * probs.mean(0)).sum()
        return out.view_as(h), aux

    def dense(self, i, h):
        p = f"blk.{i}."
        y = self.gelu(self.mm(h, self.w(p + "ffn_gate.weight"))) * self.mm(h, self.w(p + "ffn_up.weight"))
        return self.mm(y, self.w(p + "ffn_down.weight"))

    def forward(self, tokens):
        cfg = self.cfg
        b, t = tokens.shape
        pos = torch.arange(t, device=tokens.device)
        x = self.w("token_embd.weight")[tokens] * cfg["embeddingScale"]
        aux_total = x.new_zeros(())
        for i in range(cfg["layers"]):
            p = f"blk.{i}."
            h = self.rms(x, self.w(p + "attn_norm.weight"))
            a = self.attention(i, h, pos)
            ffn_inp = self.rms(a, self.w(p + "attn_output_norm.weight")) + x
            h = self.rms(ffn_inp, self.w(p + "ffn_norm.weight"))
            moe, aux = self.moe(i, h)
            aux_total = aux_total + aux
            cur = (self.dense(i, h) + moe) * (math.sqrt(2) / 2) if cfg["denseFfn"] > 0 else moe
            x = self.rms(cur, self.w(p + "post_ffw_norm.weight")) + ffn_inp
        x = self.rms(x, self.w("output_norm.weight"))
        logits = self.mm(x, self.w("output.weight")) * cfg["logitScale"]
        cap = cfg["finalLogitSoftcap"]
        if cap:
            logits = cap * torch.tanh(logits / cap)
        return logits, aux_total / cfg["layers"]
