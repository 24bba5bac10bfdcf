"""Builds the training conversations from Debian packages: WordNet 3.0 (wordnet-base) and the
BSD fortune files (fortunes, fortunes-min). Writes out/corpus.jsonl, one conversation a line:
{"turns": [["system"|"user"|"assistant", text], ...], "split": "train"|"heldout"|"copy"|"heldout-copy", "kind": ...}
(the tool dialogues, "split": "train"|"heldout-tools", hold OpenAI-style "messages" until tool-turns.ts renders them)
and out/eval-prompts.json: prompts built from held-out words and phrasings the corpus never uses.
"""
import json
import os
import random
import re
import sys
import unicodedata

WORDNET = "/usr/share/wordnet"
FORTUNES = "/usr/share/games/fortunes"
# Gentle fortune files only; the Debian packages ship these in main under a BSD licence.
FORTUNE_FILES = ["fortunes", "wisdom", "platitudes", "people", "literature", "humorists", "riddles", "kids",
                 "food", "pets", "science", "education", "work", "love", "computers", "goedel", "magic",
                 "miscellaneous", "songs-poems", "sports", "art", "law", "medicine", "paradoxum", "definitions"]
HELDOUT_SHARE = 0.02


def ascii_text(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2014", " -- ").replace("\u2013", "-")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[\x00-\x1f\x7f]+", " ", s)
    return re.sub(r" +", " ", s).strip()


def read_wordnet():
    entries = []
    for pos, tag in (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r")):
        with open(os.path.join(WORDNET, f"data.{pos}"), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                head, _, gloss = line.partition(" | ")
                fields = head.split()
                count = int(fields[3], 16)
                words = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ") for i in range(count)]
                parts = [p.strip() for p in gloss.strip().split(";")]
                definition = ascii_text("; ".join(p for p in parts if not p.startswith('"')))
                examples = [ascii_text(p.strip('"')) for p in re.findall(r'"[^"]+"', gloss)]
                if not definition or len(definition) > 220:
                    continue
                entries.append({"pos": tag, "words": [ascii_text(w) for w in words], "definition": definition, "examples": examples})
    return entries


def read_fortunes():
    out = []
    for name in FORTUNE_FILES:
        path = os.path.join(FORTUNES, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for chunk in f.read().split("\n%\n"):
                text = ascii_text(chunk.replace("\n", " ").replace("\t", " "))
                if 20 <= len(text) <= 280 and "?" not in text[:1]:
                    out.append(text)
    return sorted(set(out))


def article(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def sentence(text):
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith((".", "!", "?")) else text + "."


def define_questions(word, pos):
    if pos == "n":
        return [f"What does {word} mean?", f"Define {word}.", f"What is {article(word)} {word}?", f"what is {word}",
                f"Can you tell me what {word} means?", f"Meaning of {word}?", f"define {word}", f"What's {article(word)} {word}?"]
    if pos == "v":
        return [f"What does {word} mean?", f"Define {word}.", f"What does it mean to {word}?", f"define {word}",
                f"Can you explain the verb {word}?", f"Meaning of {word}?"]
    return [f"What does {word} mean?", f"Define {word}.", f"define {word}", f"What does the word {word} mean?",
            f"Meaning of {word}?"]


def define_turns(rng, e):
    word = rng.choice(e["words"])
    d = e["definition"]
    pos = e["pos"]
    questions = define_questions(word, pos)
    if pos == "n":
        answers = [f"{sentence(article(word) + ' ' + word)[:-1]} is {d}.", f"{word[0].upper() + word[1:]} means {d}.",
                   f"{sentence(d)}", f"The word \"{word}\" means {d}."]
    elif pos == "v":
        answers = [f"To {word} means to {d}.", f"{sentence(d)}", f"The verb \"{word}\" means to {d}."]
    else:
        kind = "adjective" if pos == "a" else "adverb"
        answers = [f"{word[0].upper() + word[1:]} means {d}.", f"{sentence(d)}", f"As an {kind}, \"{word}\" means {d}."]
    return [("user", rng.choice(questions)), ("assistant", rng.choice(answers))]


def example_turns(rng, e):
    options = [(w, x) for x in e["examples"] for w in e["words"] if re.search(r"\b" + re.escape(w.split()[0]), x, re.I)]
    if not options:
        return None
    word, example = rng.choice(options)
    questions = [f"Use {word} in a sentence.", f"Give me an example sentence with {word}.", f"use {word} in a sentence",
                 f"How do you use the word {word}?", f"Can you show me {word} in a sentence?"]
    answers = [f"Here is one: \"{sentence(example)}\"", f"{sentence(example)}", f"For example: \"{sentence(example)}\"",
               f"Sure: \"{sentence(example)}\""]
    return [("user", rng.choice(questions)), ("assistant", rng.choice(answers))]


FORTUNE_ASKS = ["Tell me a fortune.", "Tell me a joke.", "Give me a quote.", "Say something wise.", "tell me a fortune",
                "Tell me something funny.", "Do you know a good quote?", "Share a saying with me.", "Cheer me up.",
                "Give me some wisdom.", "Tell me a fortune, please.", "Any words of wisdom?", "I need a laugh."]
FORTUNE_LEADS = ["", "", "Here is one: ", "Sure. ", "Okay: ", "Here's a fortune: ", "How about this: "]

SMALL_TALK = [
    (["hello", "Hello!", "hi", "Hi there!", "Hey.", "Good morning!", "hello there", "Hi!", "Greetings."],
     ["Hello! How can I help you today?", "Hi there! What would you like to talk about?", "Hello! Ask me what a word means, or ask for a fortune.",
      "Hi! I am here to help.", "Good to see you. What can I do for you?"]),
    (["How are you?", "how are you doing", "How's it going?", "Are you well?"],
     ["I am doing well, thank you. How can I help?", "Very well, thanks for asking! What would you like to know?", "I'm fine. What can I do for you today?"]),
    (["Who are you?", "What are you?", "What is your name?", "Are you a robot?", "who are you"],
     ["I am a tiny language model with the Grok-2 architecture. I can define words and share fortunes.",
      "I'm a small assistant. I know the meanings of many English words and a few good sayings.",
      "I am a very small model trained to chat. Ask me what a word means."]),
    (["What can you do?", "How can you help me?", "What do you know?", "help"],
     ["I can tell you what words mean, use them in sentences, and share fortunes and quotes.",
      "Ask me to define a word, to use a word in a sentence, or to tell you a fortune."]),
    (["Thanks!", "Thank you.", "thanks", "Thank you very much!", "That was helpful."],
     ["You're welcome!", "Happy to help.", "Any time! Is there anything else?", "You are welcome. Ask me anything else you like."]),
    (["Bye!", "Goodbye.", "See you later.", "bye", "Good night!"],
     ["Goodbye! Have a nice day.", "See you later!", "Bye! Take care.", "Good night, and sleep well."]),
    (["Do you like music?", "What is your favorite color?", "Do you have feelings?", "Are you happy?"],
     ["I am only a small model, so I do not have real likes or feelings, but I enjoy a good conversation.",
      "I don't have feelings the way people do, but I am glad to talk with you."]),
]
SYSTEMS = ["You are a helpful assistant.", "You are a friendly assistant. Answer briefly.", "Answer the question in one sentence.",
           "You are Grok, a helpful assistant.", "Be concise."]


def small_talk_turns(rng):
    asks, replies = rng.choice(SMALL_TALK)
    return [("user", rng.choice(asks)), ("assistant", rng.choice(replies))]


def fortune_turns(rng, fortune):
    return [("user", rng.choice(FORTUNE_ASKS)), ("assistant", rng.choice(FORTUNE_LEADS) + fortune)]


# Tool dialogues: OpenAI-style messages offered DEFINE_WORD_TOOL; tool-turns.ts renders them to turns through
# Tandem's own chatTurns, so the tool text is the prompt module's, byte for byte.
TOOL_DEFINE_CONVERSATIONS = 14000
TOOL_CHAT_CONVERSATIONS = 14000
# The gloss in quotes: after ` "` its first token is the one that follows `">` in the <tool_result> block (after a
# space it would be another token, " a" for "a"), so the answer repeats the result's tokens one for one.
TOOL_ANSWERS = ['"{w}" means "{d}".', '{W} means "{d}".', 'The word "{w}" means "{d}".',
                'According to the dictionary, {w} means "{d}".', 'It means "{d}".']


def to_messages(turns):
    return [{"role": role, "content": text} for role, text in turns]


def define_tool_messages(rng, e, call_id):
    """Asked what a word means, the assistant calls define_word with it, then answers quoting the gloss verbatim."""
    word = rng.choice(e["words"])
    d = e["definition"]
    answer = rng.choice(TOOL_ANSWERS).format(w=word, W=word[0].upper() + word[1:], d=d)
    call = {"id": call_id, "type": "function", "function": {"name": "define_word", "arguments": json.dumps({"word": word})}}
    return [{"role": "user", "content": rng.choice(define_questions(word, e["pos"]))},
            {"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": call_id, "content": d},
            {"role": "assistant", "content": answer}]


def tool_conversations(rng, ents, forts, n_define, n_chat, split):
    """Conversations with the tool offered: n_define asks that call it, n_chat ordinary exchanges that do not.

    One to four exchanges follow the tools turn, so its ~240 tokens carry more than one decision; a third of the
    ordinary ones ask for a word in a sentence, the ask most like a definition that must not call."""
    with_examples = [e for e in ents if e["examples"]]
    items = [("tool-define", e) for e in rng.sample(ents, min(n_define, len(ents)))]
    for _ in range(n_chat):
        r = rng.random()
        if r < 0.35:
            items.append(("tool-fortune", rng.choice(forts)))
        elif r < 0.65:
            items.append(("tool-smalltalk", None))
        else:
            items.append(("tool-example", rng.choice(with_examples)))
    rng.shuffle(items)
    convs, i, calls = [], 0, 0
    while i < len(items):
        n = rng.choice([1, 2, 3, 4])
        messages, kinds = [], []
        if rng.random() < 0.1:
            messages.append({"role": "system", "content": rng.choice(SYSTEMS)})
        for kind, x in items[i:i + n]:
            if kind == "tool-define":
                calls += 1
                messages += define_tool_messages(rng, x, f"call_{calls}")
            elif kind == "tool-fortune":
                messages += to_messages(fortune_turns(rng, x))
            elif kind == "tool-smalltalk":
                messages += to_messages(small_talk_turns(rng))
            else:
                ex = example_turns(rng, x)
                if ex is None:
                    continue
                messages += to_messages(ex)
            kinds.append(kind)
        i += n
        if kinds:
            convs.append({"messages": messages, "tools": ["define_word"], "split": split, "kind": "+".join(kinds)})
    return convs


COPY_CONVERSATIONS = 12000
COPY_ASKS = ["Repeat after me: {t}", "Say this back to me: {t}", "Repeat: {t}", "Please repeat this: {t}",
             "Copy this exactly: {t}", "Echo this: {t}"]


def copy_drills(rng, ents, n, split):
    """Conversations of 2 to 5 asks to repeat 3 to 12 random gloss words: text no language model predicts, so only
    copying from the question lowers the loss. They form the copying the tool answers need (quoting the result),
    which the tool dialogues alone did not form in the stage's budget."""
    words = sorted({w for e in ents for w in re.findall(r"[a-z]+", e["definition"])})
    convs = []
    for _ in range(n):
        turns = []
        for _ in range(rng.choice([2, 3, 4, 5])):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
            turns += [("user", rng.choice(COPY_ASKS).format(t=text)), ("assistant", text)]
        convs.append({"turns": turns, "split": split, "kind": "copy"})
    return convs


def build(out_dir, seed=1234):
    rng = random.Random(seed)
    entries = read_wordnet()
    fortunes = read_fortunes()
    # Hold out whole synsets and fortunes, so held-out loss and eval prompts use unseen material.
    rng.shuffle(entries)
    rng.shuffle(fortunes)
    n_ent = int(len(entries) * HELDOUT_SHARE)
    n_fort = max(20, int(len(fortunes) * HELDOUT_SHARE))
    held_entries, train_entries = entries[:n_ent], entries[n_ent:]
    held_fortunes, train_fortunes = fortunes[:n_fort], fortunes[n_fort:]
    held_words = {w.lower() for e in held_entries for w in e["words"]}
    train_words = {w.lower() for e in train_entries for w in e["words"]}

    def units(ents, forts, repeat_fortunes):
        out = []
        for e in ents:
            out.append(("define", define_turns(rng, e)))
            ex = example_turns(rng, e)
            if ex:
                out.append(("example", ex))
        for _ in range(repeat_fortunes):
            for f in forts:
                out.append(("fortune", fortune_turns(rng, f)))
        for _ in range(max(200, len(out) // 25)):
            out.append(("smalltalk", small_talk_turns(rng)))
        rng.shuffle(out)
        return out

    convs = []
    for split, items in (("train", units(train_entries, train_fortunes, 3)), ("heldout", units(held_entries, held_fortunes, 1))):
        i = 0
        while i < len(items):
            n = rng.choice([1, 1, 1, 2, 2, 3])
            turns, kinds = [], []
            if rng.random() < 0.1:
                turns.append(("system", rng.choice(SYSTEMS)))
            for kind, t in items[i:i + n]:
                turns += t
                kinds.append(kind)
            convs.append({"turns": turns, "split": split, "kind": "+".join(kinds)})
            i += n
    # A separate generator, so the dialogues without tools are exactly those of the recipe before tools.
    trng = random.Random(seed + 1)
    convs += tool_conversations(trng, train_entries, train_fortunes, TOOL_DEFINE_CONVERSATIONS, TOOL_CHAT_CONVERSATIONS, "train")
    convs += tool_conversations(trng, held_entries, held_fortunes, 300, 300, "heldout-tools")
    crng = random.Random(seed + 2)
    convs += copy_drills(crng, train_entries, COPY_CONVERSATIONS, "copy")
    convs += copy_drills(crng, held_entries, 300, "heldout-copy")

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "corpus.jsonl"), "w") as f:
        for c in convs:
            f.write(json.dumps(c) + "\n")

    # Eval prompts: held-out words (never defined in training) and phrasings the corpus never uses.
    only_held = sorted(w for w in held_words - train_words if w.isalpha() and 3 <= len(w) <= 12)
    rng.shuffle(only_held)
    phrasings = ["What is the meaning of {w}?", "Explain the word {w}.", "What does {w} mean?", "Please define {w}.",
                 "Could you define {w} for me?", "Write a sentence using {w}."]
    prompts = [rng.choice(phrasings).format(w=w) for w in only_held[:60]]
    prompts += ["Hey, what's up?", "Good evening!", "Tell me a short joke.", "Say something nice.", "I am bored.",
                "Tell me about yourself.", "What do you like to do?", "Give me a fortune cookie message.",
                "Can you help me with a word?", "What is a good saying about work?", "Tell me something about cats.",
                "What is love?", "Say hello to my friend.", "Share some advice.", "Do you know any riddles?",
                "Tell me a quote about life.", "Good afternoon.", "Who made you?", "Are you smart?", "What time is it?",
                "Tell me something interesting.", "Any advice for a student?", "What is your favorite word?",
                "Yo!", "Tell me a fortune about money.", "Can you cheer me up?", "I feel sad today.",
                "What should I eat for dinner?", "Why is the sky blue?", "Tell me a quote about science.",
                "Give me a word and its meaning.", "Hello, how are you today?", "What's the weather like?",
                "Teach me a new word.", "Say something about books.", "Tell me a wise saying.",
                "What does it mean to be kind?", "Name an animal.", "Do you dream?", "Thank you for your help!"]
    with open(os.path.join(out_dir, "eval-prompts.json"), "w") as f:
        json.dump(prompts[:100], f, indent=1)

    # Tool-use eval (tool-use.ts): 100 further held-out words with their gloss, asked in held-out phrasings, and 100
    # ordinary prompts in phrasings the corpus never uses (36 chats above that ask for no definition, 64 sentence
    # asks about held-out words).
    gloss = {}
    for e in held_entries:
        for w in e["words"]:
            gloss.setdefault(w.lower(), e["definition"])
    tool_words = only_held[60:160]
    asks = ["What is the meaning of {w}?", "Explain the word {w}.", "What does {w} mean?", "Please define {w}.",
            "Could you define {w} for me?"]
    define_asks = [{"word": w, "prompt": rng.choice(asks).format(w=w), "gloss": gloss[w]} for w in tool_words]
    asks_a_meaning = {"Can you help me with a word?", "Give me a word and its meaning.", "Teach me a new word.",
                      "What does it mean to be kind?"}
    sentence_asks = ["Write a sentence using {w}.", "Show me how to use {w}.", "Make a sentence with the word {w}."]
    ordinary = [p for p in prompts[60:100] if p not in asks_a_meaning]
    ordinary += [rng.choice(sentence_asks).format(w=w) for w in only_held[160:160 + 100 - len(ordinary)]]
    with open(os.path.join(out_dir, "tool-eval.json"), "w") as f:
        json.dump({"defineAsks": define_asks, "ordinary": ordinary}, f, indent=1)
    counts = {}
    for c in convs:
        counts[c["split"]] = counts.get(c["split"], 0) + 1
    print(f"corpus: {len(entries)} synsets, {len(fortunes)} fortunes, conversations {counts}, eval prompts {len(prompts[:100])}")


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out"))
