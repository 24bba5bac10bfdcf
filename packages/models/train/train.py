"""Trains the tiny Grok-2 on out/data.pt: AdamW, linear warm-up then cosine decay, fixed seed.

Three stages, each with its settings in config.json. The base stage (config `train`) learns from scratch on the
conversations without tools, with the loss on every token. The tools stage (`--stage tools --init MODEL`) starts
from the base model (out/base.pt, or init.bin from read-gguf.ts) and trains on the dialogues that offer the tool,
`replay` of its batches drawn from the base stage's rows so the model keeps what it knew and `copy` of them from
the copy drills, which form the copying that quoting a result needs (all of them during the stage's first
`copyFirst` share), with the loss on the assistant's replies only: the ~240-token tools turn is the same in every
dialogue, and what is learned is in the replies (call or answer, the word copied into the call, the result
quoted). The refine stage (`--stage refine --init out/model.pt`, config `refine` over `tools`) goes on with the
same mix at a lower rate, without the drills-first share: with the copying formed, it learns when not to call.

--steps N trains exactly N steps, the cosine over steps; without it the cosine runs over wall time and training
stops when config.train.minutes have passed, so the run ends on its budget however busy the machine is (a
step count estimated from early speed overran when other work started). Writes out/model.pt and
out/train-stats-{stage}.json (held-out loss and perplexity on the dialogues without tools; after the base stage
also on the tool dialogues' and the copy drills' replies; tokens/s, wall time).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import Grok, tensor_layout

HERE = os.path.dirname(os.path.abspath(__file__))
WARMUP_SHARE = 0.04


def reply_mask(rows, reply_start, sep_id):
    """True where a token belongs to an assistant's reply: after `Assistant:` up to its separator, included."""
    rows = rows.long()
    positions = torch.arange(rows.shape[1]).expand_as(rows)
    opens = torch.zeros_like(rows, dtype=torch.bool)
    opens[:, 2:] = (rows[:, :-2] == reply_start[0]) & (rows[:, 1:-1] == reply_start[1])
    last_open = torch.where(opens, positions, torch.full_like(positions, -1)).cummax(1).values
    seps = torch.where(rows == sep_id, positions, torch.full_like(positions, -1)).cummax(1).values
    last_sep_before = torch.cat([torch.full_like(seps[:, :1], -1), seps[:, :-1]], 1)
    return last_open > last_sep_before


def loss_on(model, rows, pad_id, replies=None):
    x, y = rows[:, :-1].long(), rows[:, 1:].long()
    logits, aux = model(x)
    mask = y != pad_id
    if replies is not None:
        mask = mask & reply_mask(rows, *replies)[:, 1:]
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="none")
    return (ce * mask.reshape(-1)).sum() / mask.sum(), aux, int(mask.sum())


@torch.no_grad()
def heldout_loss(model, rows, pad_id, replies=None, batch=32):
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(rows), batch):
        loss, _, n = loss_on(model, rows[i:i + batch], pad_id, replies)
        total += float(loss) * n
        count += n
    model.train()
    return total / count


def load_weights(model, path):
    """Weights from a .pt state dict, or from a .bin of float32 tensors in tensor_layout order (read-gguf.ts writes
    one from a GGUF; export.py's weights.bin is one too)."""
    if path.endswith(".bin"):
        flat, state, at = np.fromfile(path, dtype="<f4"), {}, 0
        for name, shape in tensor_layout(model.cfg):
            n = int(np.prod(shape))
            state[name.replace(".", "__")] = torch.from_numpy(flat[at:at + n].reshape(shape).copy())
            at += n
        assert at == len(flat), f"{path}: {len(flat)} values, the layout {at}"
    else:
        state = torch.load(path)
    model.load_state_dict(state)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--stage", choices=["base", "tools", "refine"], default="base")
    ap.add_argument("--init", default="", help="the tools stage's starting weights: out/base.pt or an init.bin from read-gguf.ts")
    ap.add_argument("--steps", type=int, default=0)
    ap.add_argument("--minutes", type=float, default=0)
    args = ap.parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    tc = {**cfg["train"], **cfg["tools"], **cfg[args.stage]} if args.stage != "base" else cfg["train"]
    torch.manual_seed(tc["seed"])
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    data = torch.load(os.path.join(args.out, "data.pt"))
    with open(os.path.join(args.out, "tokenizer.json")) as f:
        vocab = json.load(f)
    pad_id = vocab["padId"]
    held_rows, held_tool_rows = data["heldout"], data["heldout-tools"]
    tools = args.stage != "base"
    train_rows = data["tools"] if tools else data["train"]
    replay_rows = data["train"] if tools else None
    copy_rows = data["copy"] if tools else None
    replies = (tuple(vocab["tokens"].index(t) for t in ("Assistant", ":")), vocab["eosId"]) if tools else None

    model = Grok(cfg)
    if tools:
        assert args.init, "the tools stage starts from the base model: --init out/base.pt or out/init.bin"
        load_weights(model, args.init)
    else:
        model.init_weights(tc["seed"])
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=tc["lr"], betas=(0.9, 0.95), eps=1e-8)
    g = torch.Generator().manual_seed(tc["seed"])
    order = torch.randperm(len(train_rows), generator=g)
    replay_batch = tc["batch"] * tc["seqLen"] // cfg["train"]["seqLen"]  # as many tokens as a batch of the stage's own rows
    batch = tc["batch"]
    minutes = args.minutes or tc["minutes"]
    total = args.steps or None
    budget = minutes * 60
    start = time.time()
    warm_end = None  # seconds into the run when warm-up ended: the time cosine starts there
    step, cursor, tokens = 0, 0, 0
    log_every = 10
    while (step < total) if total else (time.time() - start < budget):
        draw = torch.rand(1, generator=g).item() if tools else 1.0
        done = step / total if total else (time.time() - start) / budget
        # Drills alone first: mixed with the rest from the start, the copying had not formed after 200 steps.
        if tools and (done < tc["copyFirst"] or tc["replay"] <= draw < tc["replay"] + tc["copy"]):
            rows = copy_rows[torch.randint(len(copy_rows), (batch,), generator=g)]
        elif draw < tc["replay"]:
            rows = replay_rows[torch.randint(len(replay_rows), (replay_batch,), generator=g)]
        else:
            if cursor + batch > len(order):
                order, cursor = torch.randperm(len(train_rows), generator=g), 0
            rows = train_rows[order[cursor:cursor + batch]]
            cursor += batch
        warm = (step + 1) / tc["warmup"]
        if not total:
            # On a slow machine warm-up also ends after WARMUP_SHARE of the budget, leaving it time to anneal.
            warm = max(warm, (time.time() - start) / (WARMUP_SHARE * budget))
        lr = tc["lr"] * min(1.0, warm)
        if warm >= 1:
            if total:
                progress = (step - tc["warmup"]) / max(1, total - tc["warmup"])
            else:
                warm_end = warm_end if warm_end is not None else time.time() - start
                progress = (time.time() - start - warm_end) / max(1.0, budget - warm_end)
            lr = tc["minLr"] + 0.5 * (tc["lr"] - tc["minLr"]) * (1 + math.cos(math.pi * min(1.0, progress)))
        for group in opt.param_groups:
            group["lr"] = lr
        loss, aux, n = loss_on(model, rows, pad_id, replies)
        opt.zero_grad(set_to_none=True)
        (loss + tc["auxLoss"] * aux).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += rows.numel() - len(rows)
        if step % log_every == 0 or step == total:
            el = time.time() - start
            print(f"step {step}/{total or f'{minutes} min'} loss {float(loss):.3f} aux {float(aux):.3f} lr {lr:.2e} {tokens / el:.0f} tok/s {el / 60:.1f} min", flush=True)
        if step % 100 == 0:
            copying = f", copy drills' replies {heldout_loss(model, data['heldout-copy'][:32], pad_id, replies):.3f}" if tools else ""
            print(f"  held-out loss (64 rows) {heldout_loss(model, held_rows[:64], pad_id):.3f}{copying}", flush=True)
    wall = time.time() - start
    held = heldout_loss(model, held_rows, pad_id)
    replied = {}
    if tools:
        # On the replies, as the stage trains: the tools turn, the same in every dialogue, would swamp the figure.
        replied = {"heldoutToolReplyLoss": round(heldout_loss(model, held_tool_rows, pad_id, replies), 4),
                   "heldoutCopyReplyLoss": round(heldout_loss(model, data["heldout-copy"], pad_id, replies), 4)}
    schedule = f"cosine over {total} steps" if total else f"cosine over {minutes} min of wall time"
    stats = {"stage": args.stage, "init": os.path.basename(args.init) or None, "schedule": schedule, "steps": step, "batch": batch, "seqLen": tc["seqLen"], "trainTokens": tokens, "wallSeconds": round(wall),
             "tokensPerSecond": round(tokens / wall), "finalTrainLoss": round(float(loss), 4),
             "heldoutLoss": round(held, 4), "heldoutPerplexity": round(math.exp(held), 3), **replied}
    print(json.dumps(stats), flush=True)
    torch.save(model.state_dict(), os.path.join(args.out, "base.pt" if not tools else "model.pt"))
    with open(os.path.join(args.out, f"train-stats-{args.stage}.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
