"""Learns the BPE from the training conversations and packs every conversation into rows.

Writes out/tokenizer.json and out/data.pt: {"train", "heldout", "heldout-tools": int16 rows}, each row
`seq_len + 1` tokens, conversations packed whole from the row's start, the rest `<|pad|>`.
"""
import json
import os
import random
import sys

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


def main(out_dir):
    with open(os.path.join(HERE, "config.json")) as f:
        cfg = json.load(f)
    convs = [json.loads(line) for line in open(os.path.join(out_dir, "corpus.jsonl"))]
    # The golden check: tool dialogues render here exactly as Tandem's renderGrok2Prompt renders them (tool-turns.ts).
    golden = [c for c in convs if "golden" in c]
    assert golden, "corpus.jsonl has no golden renderings: run tool-turns.ts after corpus.py"
    for c in golden:
        mine = "".join(SEPARATOR if p is None else p for p in render_parts(c["turns"], generation_prompt=True))
        assert mine == c["golden"], (mine, c["golden"])
    train_texts = [p for c in convs if c["split"] == "train" for p in render_parts(c["turns"]) if p is not None]
    n_new = cfg["vocab"] - 256 - 3
    tok = Tokenizer(train_bpe(train_texts, n_new))
    assert len(tok.tokens) == cfg["vocab"], (len(tok.tokens), cfg["vocab"])
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tok.to_json(), f)
    width = cfg["train"]["seqLen"] + 1
    rng = random.Random(7)
    data, stats = {}, {}
    for split in ("train", "heldout", "heldout-tools"):
        ids = [tok.encode_parts(render_parts(c["turns"])) for c in convs if c["split"] == split]
        rng.shuffle(ids)
        data[split] = pack(ids, tok, width)
        stats[split] = {"conversations": len(ids), "tokens": sum(map(len, ids)), "rows": len(data[split])}
    torch.save(data, os.path.join(out_dir, "data.pt"))
    chars = sum(len(t) for t in train_texts)
    print(f"golden: {len(golden)} tool dialogues render as renderGrok2Prompt does")
    print(f"tokenizer: {len(tok.tokens)} tokens, {len(tok.merges)} merges, {chars / stats['train']['tokens']:.2f} chars/token; {stats}")
    with open(os.path.join(out_dir, "data-stats.json"), "w") as f:
        json.dump(stats, f)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out"))
