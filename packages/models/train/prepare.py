"""Learns the BPE from the training conversations without tools and packs every conversation into rows.

Writes out/tokenizer.json and out/data.pt: {"train", "tools", "copy", "heldout", "heldout-tools", "heldout-copy": int16
rows}, each row the stage's `seqLen + 1` tokens, conversations packed whole from the row's start, the rest `<|pad|>`.
"train" holds the conversations without tools (the base stage), "tools" the training dialogues that offer the tool and
"copy" the copy drills (the tools stage).
`--keep-tokenizer` keeps out/tokenizer.json, the vocabulary of a model made before (read-gguf.ts writes it), instead of
learning one: the tools stage must keep the base model's tokens.
"""
import argparse
import json
import os
import random

import torch

from tokenizer import SEPARATOR, Tokenizer, render_parts, train_bpe

HERE = os.path.dirname(os.path.abspath(__file__))


def pack(convs, tok, width):
    rows, row = [], []
    for ids in convs:
        ids = ids[:width]
        if len(row) + len(ids) > width:
            rows.append(row + [tok.pad_id] * (width - len(row)))
            row = []
        row += ids
    if row:
        rows.append(row + [tok.pad_id] * (width - len(row)))
    return torch.tensor(rows, dtype=torch.int16)


def kept_tokenizer(path):
    tok = Tokenizer.load(path)
    with open(path) as f:
        assert tok.tokens == json.load(f)["tokens"], f"{path}: its merges do not give its tokens"
    return tok


def main(out_dir, keep_tokenizer):
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    convs = [json.loads(line) for line in open(os.path.join(out_dir, "corpus.jsonl"))]
    # The golden check: tool dialogues render here exactly as Tandem's renderGrok2Prompt renders them (tool-turns.ts).
    golden = [c for c in convs if "golden" in c]
    assert golden, "corpus.jsonl has no golden renderings: run tool-turns.ts after corpus.py"
    for c in golden:
        mine = "".join(SEPARATOR if p is None else p for p in render_parts(c["turns"], generation_prompt=True))
        assert mine == c["golden"], (mine, c["golden"])
    splits = {
        "train": [c for c in convs if c["split"] == "train" and "messages" not in c],
        "tools": [c for c in convs if c["split"] == "train" and "messages" in c],
        "heldout": [c for c in convs if c["split"] == "heldout"],
        "heldout-tools": [c for c in convs if c["split"] == "heldout-tools"],
        "copy": [c for c in convs if c["split"] == "copy"],
        "heldout-copy": [c for c in convs if c["split"] == "heldout-copy"],
    }
    train_texts = [p for c in splits["train"] for p in render_parts(c["turns"]) if p is not None]
    tokenizer_path = os.path.join(out_dir, "tokenizer.json")
    tok = kept_tokenizer(tokenizer_path) if keep_tokenizer else Tokenizer(train_bpe(train_texts, cfg["vocab"] - 256 - 3))
    assert len(tok.tokens) == cfg["vocab"], (len(tok.tokens), cfg["vocab"])
    with open(tokenizer_path, "w") as f:
        json.dump(tok.to_json(), f)
    widths = {"train": cfg["train"]["seqLen"] + 1, "heldout": cfg["train"]["seqLen"] + 1,
              **{split: cfg["tools"]["seqLen"] + 1 for split in ("tools", "heldout-tools", "copy", "heldout-copy")}}
    rng = random.Random(7)
    data, stats = {}, {}
    for split, split_convs in splits.items():
        ids = [tok.encode_parts(render_parts(c["turns"])) for c in split_convs]
        rng.shuffle(ids)
        data[split] = pack(ids, tok, widths[split])
        stats[split] = {"conversations": len(ids), "tokens": sum(map(len, ids)), "rows": len(data[split])}
    torch.save(data, os.path.join(out_dir, "data.pt"))
    chars = sum(len(t) for t in train_texts)
    print(f"golden: {len(golden)} tool dialogues render as renderGrok2Prompt does")
    print(f"tokenizer: {len(tok.tokens)} tokens, {len(tok.merges)} merges, {chars / stats['train']['tokens']:.2f} chars/token; {stats}")
    with open(os.path.join(out_dir, "data-stats.json"), "w") as f:
        json.dump(stats, f)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=os.path.join(HERE, "out"))
    ap.add_argument("--keep-tokenizer", action="store_true")
    args = ap.parse_args()
    main(args.out, args.keep_tokenizer)
