"""Byte-level BPE as llama.cpp's `gpt2` tokenizer model runs it with the `grok-2` pre-tokenizer.

Token ids: byte b is token b (in GPT-2's byte-to-unicode alphabet, as tokenizer.ts's
tinyVocabulary), then the learned merges in rank order, then `<|pad|>`, `<|bos|>`, `<|separator|>`.
Prompts render as native-server's renderGrok2Prompt does: text stretches tokenized apart,
`<|separator|>` placed by id, no BOS (add_bos_token is false).
"""
import collections
import heapq
import json
import re

SEPARATOR = "<|separator|>"
CONTROL = ["<|pad|>", "<|bos|>", SEPARATOR]

# llama.cpp's `grok-2` pre-tokenizer regex (llama-vocab.cpp), with \p{L} and \p{N} written for
# ASCII: the corpus is ASCII, where the two agree.
_L, _N = "A-Za-z", "0-9"
PRE_TOKENIZER = re.compile(
    r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
    rf"|[^\r\n{_L}{_N}]?[{_L}]+"
    rf"|[{_N}]"
    rf"| ?[^\s{_L}{_N}]+[\r\n]*"
    r"|\s*[\r\n]+"
    r"|\s+(?!\S)"
    r"|\s+"
)


def bytes_to_unicode():
    def printable(b):
        return 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF
    table, nxt = [], 256
    for b in range(256):
        if printable(b):
            table.append(chr(b))
        else:
            table.append(chr(nxt))
            nxt += 1
    return table


BYTE_CHARS = bytes_to_unicode()


def pre_tokenize(text):
    return PRE_TOKENIZER.findall(text)


def word_symbols(word):
    return tuple(BYTE_CHARS[b] for b in word.encode("utf-8"))


def render_parts(turns, generation_prompt=False):
    """native-server's renderGrok2Prompt: [text | None (the separator)], adjacent text merged."""
    parts = []
    for role, content in turns:
        if role == "system":
            parts += [f"System: {content.strip()}", None, "\n\n"]
        elif role == "user":
            parts += [f"Human: {content.strip()}", None, "\n\n"]
        else:
            parts += [f"Assistant: {content}", None, "\n\n"]
    if generation_prompt:
        parts.append("Assistant:")
    merged = []
    for p in parts:
        if p is not None and merged and merged[-1] is not None:
            merged[-1] += p
        else:
            merged.append(p)
    return merged


def train_bpe(texts, n_tokens):
    """Merges, highest priority first, until they make `n_tokens` distinct new tokens."""
    counts = collections.Counter()
    for t in texts:
        counts.update(pre_tokenize(t))
    words = [list(word_symbols(w)) for w in counts]
    freqs = list(counts.values())
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)
    for i, (w, f) in enumerate(zip(words, freqs)):
        for a, b in zip(w, w[1:]):
            pair_counts[(a, b)] += f
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges, made = [], set()
    while len(made) < n_tokens and heap:
        c, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -c or -c <= 0:
            continue
        merges.append(pair)
        made.add(pair[0] + pair[1])
        a, b = pair
        new = a + b
        changed = collections.Counter()
        for i in list(where[pair]):
            w, f = words[i], freqs[i]
            for x, y in zip(w, w[1:]):
                changed[(x, y)] -= f
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for x, y in zip(out, out[1:]):
                changed[(x, y)] += f
                where[(x, y)].add(i)
        for p, d in changed.items():
            if d:
                pair_counts[p] += d
                heapq.heappush(heap, (-pair_counts[p], p))
        del pair_counts[pair]
        where.pop(pair, None)
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        merged = list(dict.fromkeys(a + b for a, b in self.merges))
        self.tokens = list(BYTE_CHARS) + merged + CONTROL
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.pad_id, self.bos_id, self.eos_id = (self.ids[c] for c in CONTROL)
        self.cache = {}

    def bpe(self, word):
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        syms = list(word_symbols(word))
        while len(syms) > 1:
            best, at = None, -1
            for j in range(len(syms) - 1):
                r = self.ranks.get((syms[j], syms[j + 1]))
                if r is not None and (best is None or r < best):
                    best, at = r, j
            if best is None:
                break
            a, b = self.merges[best]
            out, j = [], 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            syms = out
        ids = [self.ids[s] for s in syms]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        out = []
        for w in pre_tokenize(text):
            out += self.bpe(w)
        return out

    def encode_parts(self, parts):
        out = []
        for p in parts:
            out += [self.eos_id] if p is None else self.encode(p)
        return out

    def decode(self, ids):
        inv = {c: b for b, c in enumerate(BYTE_CHARS)}
        data = bytearray()
        for i in ids:
            t = self.tokens[i]
            if t in CONTROL:
                data += t.encode()
            else:
                data += bytes(inv[c] for c in t)
        return data.decode("utf-8", errors="replace")

    def to_json(self):
        return {
            "tokens": self.tokens,
            "types": [3 if t in CONTROL else 1 for t in self.tokens],
            "merges": [f"{a} {b}" for a, b in self.merges],
            "padId": self.pad_id, "bosId": self.bos_id, "eosId": self.eos_id,
        }

    @staticmethod
    def load(path):
        with open(path) as f:
            data = json.load(f)
        return Tokenizer([m.split(" ") for m in data["merges"]])
