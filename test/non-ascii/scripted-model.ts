// A test double for a model that writes non-ASCII text: the trained tiny Grok-2 folds its text to
// ASCII, so nothing else here makes a stream of multi-byte characters. This one is a real GGUF
// that llama.cpp and wllama run like any other, wired so that its greedy answer is always SCRIPT.
import { GROK_2_RANDOM_TINY, tinyVocabulary, writeGguf } from '@tandem/models'
import { ensureTinyModel, type TinyModelFiles } from '@tandem/models/node'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
// Not part of the package's API: the builder every Grok-2 GGUF here goes through.
import { grokGguf } from '../../packages/models/src/grok-gguf.ts'

/**
 * 2-, 3- and 4-byte characters (é ж λ, → 中, 🌍), then ASCII that no merge of the tiny vocabulary
 * joins. Every byte appears once, because each token names the next on its own (see below).
 */
export const SCRIPT = '<é→中🌍!жλ>0123456789#$%&*+=?@^_~|'

/**
 * Attention and feed-forward outputs are zero, so the residual stream at each position is its own
 * token's embedding. Byte b is token b in the tiny vocabulary; SCRIPT's k-th byte embeds as unit
 * vector k+1 and the output matrix maps direction k+1 to byte k+1 (the last to the end of turn).
 * Every other token embeds as direction 0, which maps to SCRIPT's first byte: whatever the prompt,
 * the answer starts at the beginning, and a prefix cut anywhere continues where it was cut.
 */
export function buildScriptedGrok2() {
  const arch = GROK_2_RANDOM_TINY
  const vocabulary = tinyVocabulary()
  const bytes = [...new TextEncoder().encode(SCRIPT)]
  if (new Set(bytes).size !== bytes.length) throw new Error('SCRIPT repeats a byte')
  if (bytes.length + 1 > arch.embedding) throw new Error('SCRIPT is longer than the embedding is wide')
  const direction = (token: number) => bytes.indexOf(token) + 1 // 0 for tokens outside SCRIPT
  const next = [...bytes, vocabulary.eosId] // direction k → next[k]
  return grokGguf({
    architecture: arch,
    name: 'grok-2-scripted',
    description: `Grok-2 architecture at toy size, wired to answer ${JSON.stringify(SCRIPT)}`,
    vocabulary,
    quantization: 'f16',
    values: ({ name, dims }) => {
      const out = new Float32Array(dims.reduce((a, b) => a * b, 1))
      const [width] = dims as [number]
      if (dims.length === 1) out.fill(1)
      else if (name === 'token_embd.weight') for (let token = 0; token < vocabulary.tokens.length; token++) out[token * width + direction(token)] = 1
      // 4 survives every quantization exactly and, after the final norm, wins by a wide margin.
      else if (name === 'output.weight') next.forEach((token, k) => (out[token * width + k] = 4))
      return out
    },
  })
}

/** The scripted model's variants, built like the tiny model's (same file names and manifest) in `dir`. */
export async function ensureScriptedModel(dir: string): Promise<TinyModelFiles> {
  await mkdir(dir, { recursive: true })
  const source = join(dir, 'grok-2-scripted.gguf')
  await writeFile(source, writeGguf(buildScriptedGrok2()))
  return ensureTinyModel({ dir, source })
}
