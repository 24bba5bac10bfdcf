import { TandemError, type ChatRequest } from '@tandem/protocol'

/** How to pick each next token, in node-llama-cpp's terms, from an OpenAI request. */
export interface Sampling {
  /** 0 picks the most likely token. */
  temperature: number
  topP: number
  /** Always 0 (off): OpenAI's API has no top-k, and node-llama-cpp would default it to 40. */
  topK: 0
  minP: 0
  /** An unsigned 32-bit seed: llama.cpp's sampler takes no other. */
  seed: number
  /** [token id, value added to its logit]. */
  logitBias: Array<[number, number]>
  frequencyPenalty: number
  presencePenalty: number
}

const UINT32 = 2 ** 32

export function samplingFor(request: ChatRequest, vocabularySize: number, randomSeed = () => Math.floor(Math.random() * UINT32)): Sampling {
  const logitBias = Object.entries(request.logit_bias ?? {}).map(([key, value]): [number, number] => {
    const token = Number(key)
    if (token >= vocabularySize) {
      throw new TandemError('invalid_request', `logit_bias: token ${key} is not in this model's vocabulary of ${vocabularySize}`, { param: 'logit_bias' })
    }
    return [token, value]
  })
  return {
    temperature: request.temperature ?? 1,
    topP: request.top_p ?? 1,
    topK: 0,
    minP: 0,
    // Any integer a client sends maps to one seed; negative and large seeds too.
    seed: request.seed == null ? randomSeed() : ((request.seed % UINT32) + UINT32) % UINT32,
    logitBias,
    frequencyPenalty: request.frequency_penalty ?? 0,
    presencePenalty: request.presence_penalty ?? 0,
  }
}
