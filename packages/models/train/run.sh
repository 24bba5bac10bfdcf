#!/usr/bin/env bash
# npm run model:train: the whole recipe, from scratch: corpus -> tool dialogues rendered by chatTurns -> BPE -> base stage ->
# tools stage -> refine stage -> export -> GGUF -> tokenizer check -> parity.json -> quality.json -> tool-use.json -> the parity test. Needs Debian's
# python3-torch, wordnet-base and fortunes (apt-get install -y python3-torch wordnet-base fortunes fortunes-min libopenblas0-pthread).
# Options: --steps N (exact step count for each stage, cosine over steps; default: cosine over config.json's minutes of
#          wall time, ending on it),
#          --base FILE.gguf (skip the base stage: its tokens and weights come from this GGUF, e.g. the model before tools,
#          `git show 4ecdd55:packages/models/trained/grok-2-tiny.gguf`),
#          --skip-train (reuse out/model.pt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
py=/usr/bin/python3 # Debian's python3 with torch 1.13, not a pyenv one first on PATH
steps=()
base=""
skip_train=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=(--steps "$2"); shift 2 ;;
    --base) base="$(realpath "$2")"; shift 2 ;;
    --skip-train) skip_train=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
mkdir -p "$out"
cd "$here"
stamp() { echo "[$(date +%H:%M:%S)] $*"; }
if [ "$skip_train" = 0 ]; then
  stamp corpus;   nice -n 19 "$py" corpus.py "$out"
  stamp tools;    nice -n 19 npx tsx --conditions=@tandem/source "$here/tool-turns.ts" "$out"
  init="$out/base.pt"
  if [ -n "$base" ]; then
    stamp rows;   nice -n 19 npx tsx "$here/read-gguf.ts" "$base" "$out" && nice -n 19 "$py" prepare.py "$out" --keep-tokenizer
    init="$out/init.bin"
  else
    stamp bpe;    nice -n 19 "$py" prepare.py "$out"
    stamp base;   nice -n 19 "$py" train.py --out "$out" --stage base "${steps[@]}"
  fi
  stamp tools-stage; nice -n 19 "$py" train.py --out "$out" --stage tools --init "$init" "${steps[@]}"
  stamp refine;   nice -n 19 "$py" train.py --out "$out" --stage refine --init "$out/model.pt" "${steps[@]}"
fi
stamp export;     nice -n 19 "$py" export.py "$out"
stamp gguf;       npx tsx "$here/write-gguf.ts" "$out"
stamp tokenizer;  nice -n 19 "$py" tok_check.py "$out" && npx tsx "$here/check-tokenizer.ts" "$out"
stamp quality;    nice -n 19 npx tsx "$here/quality.ts" "$out"
stamp tool-use;   nice -n 19 npx tsx --conditions=@tandem/source "$here/tool-use.ts" "$out"
stamp parity;     (cd "$here/../../.." && npx vitest run packages/models/src/node/trained-parity.test.ts)
stamp done
