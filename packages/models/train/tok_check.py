"""Writes out/tok-check.json: 400 text stretches from the corpus (and a few edge cases) with this
tokenizer's ids, for check-tokenizer.ts to compare with llama.cpp's tokenization."""
import json
import os
import random
import sys

from tokenizer import Tokenizer, render_parts

HERE = os.path.dirname(os.path.abspath(__file__))
EDGES = ["Human: hello", "\n\nAssistant:", "\n\nAssistant: It's 42 degrees -- isn't it?", "  two  spaces\n\n\nthree newlines",
         "don't won't I'll we've they're she'd I'm", "tabs\tand\ttabs", "a...b!!!c???  ", "1234567890 x2 3.14", "'quoted' \"double\""]


def main(out_dir):
    tok = Tokenizer.load(os.path.join(out_dir, "tokenizer.json"))
    rng = random.Random(11)
    lines = open(os.path.join(out_dir, "corpus.jsonl")).read().splitlines()
    texts = []
    for line in rng.sample(lines, 200):
        texts += [p for p in render_parts(json.loads(line)["turns"], generation_prompt=True) if p is not None]
    texts = EDGES + texts[:400]
    with open(os.path.join(out_dir, "tok-check.json"), "w") as f:
        json.dump([{"text": t, "ids": tok.encode(t)} for t in texts], f)
    print(f"tok-check: {len(texts)} texts")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out"))
