"""Trains the tiny Grok-2 on out/data.pt: AdamW, linear warm-up then cosine decay, fixed seed.

--steps N trains exactly N steps, the cosine over steps; without it the cosine runs over wall time and training
stops when config.train.minutes have passed, so the run ends on its budget however busy the machine is (a
step count estimated from early speed overran when other work started). Writes out/model.pt and
out/train-stats.json (held-out loss and perplexity, on the dialogues without tools and on the tool dialogues,
tokens/s, wall time).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from model import Grok

HERE = os.path.dirname(os.path.abspath(__file__))
WARMUP_SHARE = 0.04


def loss_on(model, rows, pad_id):
    x, y = rows[:, :-1].long(), rows[:, 1:].long()
    logits, aux = model(x)
    mask = y != pad_id
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="none")
    return (ce * mask.reshape(-1)).sum() / mask.sum(), aux, int(mask.sum())


@torch.no_grad()
def heldout_loss(model, rows, pad_id, batch=32):
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(rows), batch):
        loss, _, n = loss_on(model, rows[i:i + batch], pad_id)
        total += float(loss) * n
        count += n
    model.train()
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--steps", type=int, default=0)
    ap.add_argument("--minutes", type=float, default=0)
    args = ap.parse_args()
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    tc = cfg["train"]
    torch.manual_seed(tc["seed"])
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    data = torch.load(os.path.join(args.out, "data.pt"))
    with open(os.path.join(args.out, "tokenizer.json")) as f:
        pad_id = json.load(f)["padId"]
    train_rows, held_rows, held_tool_rows = data["train"], data["heldout"], data["heldout-tools"]

    model = Grok(cfg)
    model.init_weights(tc["seed"])
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=tc["lr"], betas=(0.9, 0.95), eps=1e-8)
    g = torch.Generator().manual_seed(tc["seed"])
    order = torch.randperm(len(train_rows), generator=g)
    batch = tc["batch"]
    minutes = args.minutes or tc["minutes"]
    total = args.steps or None
    budget = minutes * 60
    start = time.time()
    warm_end = None  # seconds into the run when warm-up ended: the time cosine starts there
    step, cursor, tokens = 0, 0, 0
    log_every = 10
    while (step < total) if total else (time.time() - start < budget):
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
        loss, aux, n = loss_on(model, rows, pad_id)
        opt.zero_grad(set_to_none=True)
        (loss + tc["auxLoss"] * aux).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += rows.numel() - len(rows)
        if step % log_every == 0 or step == total:
            el = time.time() - start
            print(f"step {step}/{total or f'{minutes} min'} loss {float(loss):.3f} aux {float(aux):.3f} lr {lr:.2e} {tokens / el:.0f} tok/s {el / 60:.1f} min", flush=True)
        if step % 200 == 0:
            print(f"  held-out loss (64 rows) {heldout_loss(model, held_rows[:64], pad_id):.3f}", flush=True)
    wall = time.time() - start
    held = heldout_loss(model, held_rows, pad_id)
    held_tools = heldout_loss(model, held_tool_rows, pad_id)
    schedule = f"cosine over {total} steps" if total else f"cosine over {minutes} min of wall time"
    stats = {"schedule": schedule, "steps": step, "batch": batch, "seqLen": tc["seqLen"], "trainTokens": tokens, "wallSeconds": round(wall),
             "tokensPerSecond": round(tokens / wall), "finalTrainLoss": round(float(loss), 4),
             "heldoutLoss": round(held, 4), "heldoutPerplexity": round(math.exp(held), 3),
             "heldoutToolLoss": round(held_tools, 4), "heldoutToolPerplexity": round(math.exp(held_tools), 3)}
    print(json.dumps(stats), flush=True)
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "train-stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
