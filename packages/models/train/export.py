"""Exports the trained weights for the GGUF writer and computes the parity reference.

Writes out/weights.bin: every tensor in the GGUF's order as little-endian float32, matrices already
rounded to F16 (what the GGUF will hold), norms as trained; and packages/models/trained/parity.json:
for fixed chat prompts, the prompt ids, the reference's top-64 next-token log-probabilities, and 64
greedy tokens, computed from the exported weights by the ggml-emulating forward pass (model.py).
"""
import json
import os
import sys

import numpy as np
import torch

from model import Grok, tensor_layout
from tokenizer import Tokenizer, render_parts

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINED = os.path.join(HERE, "..", "trained")
TOP_K = 64
GREEDY = 64

PARITY_PROMPTS = [
    [["user", "hello"]],
    [["user", "What does ocean mean?"]],
    [["system", "Be concise."], ["user", "Tell me a fortune."]],
    [["user", "Define happiness."], ["assistant", "The state of being happy."], ["user", "Use happy in a sentence."]],
    [["user", "Who are you?"]],
]


def exported_model(cfg, out_dir):
    state = torch.load(os.path.join(out_dir, "model.pt"))
    model = Grok(cfg, emulate_ggml=True)
    model.load_state_dict(state)
    with torch.no_grad():
        for name in model.names:
            p = model.w(name)
            if p.dim() > 1:
                p.copy_(p.half().float())
    model.eval()
    return model


def write_weights(model, cfg, path):
    with open(path, "wb") as f:
        for name, shape in tensor_layout(cfg):
            t = model.w(name).detach()
            assert tuple(t.shape) == shape, (name, t.shape, shape)
            f.write(t.numpy().astype("<f4").tobytes())


@torch.no_grad()
def reference(model, tok, turns):
    ids = tok.encode_parts(render_parts(turns, generation_prompt=True))
    logits, _ = model(torch.tensor([ids]))
    last = logits[0, -1].double()
    logprobs = torch.log_softmax(last, -1)
    top = torch.topk(logprobs, TOP_K)
    seq = list(ids)
    for _ in range(GREEDY):
        out, _ = model(torch.tensor([seq]))
        seq.append(int(out[0, -1].argmax()))
    return {
        "messages": [{"role": r, "content": c} for r, c in turns],
        "promptIds": ids,
        "top": [[int(i), round(float(v), 6)] for v, i in zip(top.values, top.indices)],
        "logsumexp": round(float(torch.logsumexp(last, -1)), 6),
        "greedy": seq[len(ids):],
        "greedyText": tok.decode(seq[len(ids):]),
    }


def main(out_dir):
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    torch.set_num_threads(2)
    tok = Tokenizer.load(os.path.join(out_dir, "tokenizer.json"))
    model = exported_model(cfg, out_dir)
    write_weights(model, cfg, os.path.join(out_dir, "weights.bin"))
    cases = [reference(model, tok, turns) for turns in PARITY_PROMPTS]
    os.makedirs(TRAINED, exist_ok=True)
    parity = {
        "about": "Reference next-token log-probabilities (top 64) and 64 greedy tokens of grok-2-tiny.gguf, from "
                 "packages/models/train/model.py run on the exported F16 weights with ggml's F16 roundings emulated.",
        "topK": TOP_K,
        "cases": cases,
    }
    with open(os.path.join(TRAINED, "parity.json"), "w") as f:
        json.dump(parity, f, indent=1)
    for c in cases:
        print(repr(c["greedyText"][:120]))
    print(f"weights: {sum(np.prod(s) for _, s in tensor_layout(cfg))} values; parity.json: {len(cases)} prompts")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out"))
