import {
  getLlama,
  LlamaGrammarEvaluationState,
  LlamaLogLevel,
  TokenBias,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp'
import { chatTurns, grammarFor, offeredTools, stopsFor, renderGrok2Prompt, TEMPLATE_TOKENS_PER_MESSAGE, tokenByteTable, ToolCallParser, type GgufTokenizer } from '@tandem/models'
import { assistantPrefix, effectiveMaxTokens, minPromptTokens, TandemError, type ChatCompletionChunk, type ChatRequest, type Logger } from '@tandem/protocol'
import { Admission } from '../admission.ts'
import { ChunkQueue } from './chunk-queue.ts'
import type { Engine, EngineStats, GenerationContext, ServedModel } from '../engine.ts'
import { abortReason } from '../abort-reason.ts'
import { runSequence } from './run-sequence.ts'
import { samplingFor } from './sampling.ts'
import { StepGate } from './step-gate.ts'
import { tokenizePrompt } from './tokenize-prompt.ts'

export type GpuOption = 'auto' | 'cuda' | 'vulkan' | 'metal' | false

export interface LlamaCppOptions {
  /** Served name → GGUF path (a split model: its first shard). */
  models: ReadonlyArray<{ name: string; path: string }>
  threads: number
  /** Tokens per sequence; capped at what the model was trained on. */
  contextSize: number
  batchSize: number
  /** Sequences per model: requests generating at once, batched together. */
  parallel: number
  queueDepth: number
  queueTimeoutMs: number
  /** A stream's chunks at most this often; 0: one per token. */
  streamIntervalMs: number
  gpu: GpuOption
  gpuLayers: 'auto' | 'max' | number
  logger: Logger
}

/** One loaded model: its context, a sequence per slot, and the queue in front of them. */
interface Loaded {
  served: ServedModel
  model: LlamaModel
  context: LlamaContext
  sequences: LlamaContextSequence[]
  admission: Admission
  gate: StepGate
  bytesOf: (token: Token) => Uint8Array
  vocabularySize: number
}

const LOG_LEVELS: Record<string, 'debug' | 'info' | 'warn' | 'error'> = {
  [LlamaLogLevel.disabled]: 'debug',
  [LlamaLogLevel.fatal]: 'error',
  [LlamaLogLevel.error]: 'error',
  [LlamaLogLevel.warn]: 'warn',
  [LlamaLogLevel.info]: 'debug',
  [LlamaLogLevel.log]: 'debug',
  [LlamaLogLevel.debug]: 'debug',
}

/** node-llama-cpp in this process: CPU, or CUDA/Vulkan with layers split across every visible GPU. */
export class LlamaCppEngine implements Engine {
  readonly name = 'llama-cpp'
  #llama: Llama | undefined
  readonly #loaded = new Map<string, Loaded>()
  #draining: TandemError | undefined

  readonly #options: LlamaCppOptions

  constructor(options: LlamaCppOptions) {
    this.#options = options
  }

  async load(): Promise<void> {
    const { logger, threads } = this.#options
    this.#llama = await startupStep(`--gpu ${this.#options.gpu === false ? 'cpu' : this.#options.gpu}: node-llama-cpp could not start`, () => getLlama({
      gpu: this.#options.gpu,
      build: 'never',
      maxThreads: threads,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim()
        if (text !== '') logger[LOG_LEVELS[level] ?? 'info']('llama.cpp', { message: text })
      },
    }))
    logger.info('llama.cpp ready', { gpu: this.#llama.gpu, threads, devices: await this.#llama.getGpuDeviceNames() })
    for (const { name, path } of this.#options.models) this.#loaded.set(name, await this.#loadModel(this.#llama, name, path))
  }

  async #loadModel(llama: Llama, name: string, path: string): Promise<Loaded> {
    const { parallel, batchSize, threads, logger } = this.#options
    const model = await startupStep(`--model ${name}: cannot load ${path}`, () => llama.loadModel({ modelPath: path, gpuLayers: this.#options.gpuLayers }))
    const contextSize = Math.min(this.#options.contextSize, model.trainContextSize)
    const context = await startupStep(`--model ${name}: cannot make a context of ${parallel} × ${contextSize} tokens`, () =>
      model.createContext({ contextSize, sequences: parallel, batchSize, threads }),
    )
    const tokenizer = (model.fileInfo.metadata as { tokenizer?: { ggml?: GgufTokenizer } }).tokenizer?.ggml
    const table = tokenizer ? tokenByteTable(tokenizer) : undefined
    const maxTokenBytes = table?.reduce((longest, bytes) => Math.max(longest, bytes.length), 0)
    const encoder = new TextEncoder()
    if (model.fileInfo.metadata.general.architecture !== 'grok') {
      logger.warn('not a Grok model: prompts use the Grok-2 chat template all the same', { model: name, architecture: model.fileInfo.metadata.general.architecture })
    }
    logger.info('model loaded', { model: name, path, contextSize: context.contextSize, sequences: parallel, gpuLayers: model.gpuLayers, bytes: model.size })
    return {
      served: {
        id: name,
        created: Math.floor(Date.now() / 1000),
        ownedBy: 'tandem',
        maxModelLen: context.contextSize,
        promptBound: maxTokenBytes ? { max_token_bytes: maxTokenBytes, tokens_per_message: TEMPLATE_TOKENS_PER_MESSAGE } : undefined,
      },
      model,
      context,
      sequences: Array.from({ length: parallel }, () => context.getSequence()),
      admission: new Admission({ slots: parallel, queueDepth: this.#options.queueDepth, queueTimeoutMs: this.#options.queueTimeoutMs }),
      gate: new StepGate(),
      // Tokenizers without byte tokens fall back to llama.cpp's own text for each token.
      bytesOf: table ? (token) => table[token] ?? new Uint8Array(0) : (token) => encoder.encode(model.detokenize([token])),
      vocabularySize: tokenizer?.tokens.length ?? Number.MAX_SAFE_INTEGER,
    }
  }

  models(): readonly ServedModel[] {
    return [...this.#loaded.values()].map((entry) => entry.served)
  }

  configuredModels(): readonly string[] {
    return this.#options.models.map((model) => model.name)
  }

  stats(): EngineStats {
    const entries = [...this.#loaded.values()]
    return {
      ready: this.#llama !== undefined && entries.length === this.#options.models.length && !this.#draining,
      active: entries.reduce((sum, entry) => sum + entry.admission.active, 0),
      queued: entries.reduce((sum, entry) => sum + entry.admission.queued, 0),
      full: entries.length > 0 && entries.every((entry) => entry.admission.full),
      decodeSteps: entries.reduce((sum, entry) => sum + entry.gate.steps, 0),
      decodeStepSequences: entries.reduce((sum, entry) => sum + entry.gate.sequencesStepped, 0),
    }
  }

  async generate(request: ChatRequest, { id, created, signal }: GenerationContext): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (this.#draining) throw this.#draining
    const entry = this.#loaded.get(request.model)
    if (!entry) throw new TandemError('model_not_loaded', `model "${request.model}" is not loaded`, { param: 'model' })
    const prefix = assistantPrefix(request)
    const { contextSize } = entry.context
    // What certainly cannot fit is refused before it is tokenized; the rest is tokenized in slices.
    const atLeast = entry.served.promptBound ? minPromptTokens(request.messages, entry.served.promptBound) : 0
    if (atLeast >= contextSize) throw promptTooLong(`at least ${atLeast}`, contextSize)
    const prompt = await tokenizePrompt(entry.model, renderGrok2Prompt(chatTurns(request)), contextSize, signal)
    const room = contextSize - prompt.length
    if (room < 1) throw promptTooLong(prompt.length === contextSize ? `at least ${contextSize}` : String(prompt.length), contextSize)
    const sampling = samplingFor(request, entry.vocabularySize)
    const grammarText = grammarFor(request)
    const grammar = grammarText === undefined ? undefined : await this.#llama!.createGrammar({ grammar: grammarText })
    const slot = await entry.admission.acquire(signal)

    const stop = new AbortController()
    const runSignal = AbortSignal.any([signal, stop.signal])
    const timings = request.stream === true && request.timings_per_token === true ? { promptTokens: prompt.length } : undefined
    const queue = new ChunkQueue({ id, created, model: request.model }, () => stop.abort(), this.#options.streamIntervalMs, timings)
    const tokenBias = tokenBiasFor(entry.model, sampling.logitBias)
    const penalized = sampling.frequencyPenalty !== 0 || sampling.presencePenalty !== 0
    const sequence = entry.sequences[slot.index]!
    // A continued prefix is text; a new answer with tools offered may be calls.
    const toolCalls = prefix === undefined && offeredTools(request).length > 0 ? new ToolCallParser() : undefined

    runSequence({
      sequence,
      gate: entry.gate,
      prompt,
      evaluate: {
        temperature: sampling.temperature,
        topP: sampling.topP,
        topK: sampling.topK,
        minP: sampling.minP,
        seed: sampling.seed,
        tokenBias,
        grammarEvaluationState: grammar && new LlamaGrammarEvaluationState({ model: entry.model, grammar }),
        repeatPenalty: penalized
          ? { punishTokens: () => sequence.contextTokens.slice(prompt.length), penalty: 1, frequencyPenalty: sampling.frequencyPenalty, presencePenalty: sampling.presencePenalty }
          : undefined,
      },
      maxTokens: Math.min(effectiveMaxTokens(request) ?? room, room),
      stops: stopsFor(request),
      bytesOf: entry.bytesOf,
      isEndOfGeneration: (token) => entry.model.isEogToken(token),
      ignoreEndOfGeneration: request.ignore_eos === true,
      newAnswer: prefix === undefined,
      signal: runSignal,
      onText: (text, completionTokens) => {
        const delta = toolCalls ? toolCalls.push(text) : { content: text }
        if (delta) queue.push(delta, completionTokens)
      },
    })
      .then((outcome) => {
        if ('aborted' in outcome) return queue.fail(abortReason(runSignal))
        const usage = { prompt_tokens: prompt.length, completion_tokens: outcome.completionTokens }
        const finishReason = outcome.finishReason === 'stop' && toolCalls?.calledTools() ? 'tool_calls' : outcome.finishReason
        queue.finish(finishReason, { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens })
      })
      .catch((error: unknown) => queue.fail(error))
      .finally(() => slot.release())
    return queue
  }

  drain(): void {
    this.#draining = new TandemError('upstream_unavailable', 'the server is shutting down')
    for (const entry of this.#loaded.values()) entry.admission.close(this.#draining)
  }

  async close(): Promise<void> {
    this.drain()
    for (const entry of this.#loaded.values()) {
      await entry.context.dispose()
      await entry.model.dispose()
    }
    this.#loaded.clear()
    await this.#llama?.dispose()
    this.#llama = undefined
  }
}

/**
 * `logit_bias` as node-llama-cpp's `TokenBias`, end-of-generation tokens included: `TokenBias.set`
 * skips those (it keeps "never" from blocking the end), which would silently drop a bias on
 * `<|separator|>`. Its sampler adds whatever the map holds, so the biases go there directly.
 */
function tokenBiasFor(model: LlamaModel, biases: ReadonlyArray<[number, number]>): TokenBias {
  const tokenBias = new TokenBias(model.tokenizer)
  const map = (tokenBias as unknown as { _biases?: unknown })._biases
  if (!(map instanceof Map)) throw new TandemError('internal', 'logit_bias: this node-llama-cpp keeps token biases where Tandem cannot set them', { param: 'logit_bias' })
  for (const [token, logit] of biases) map.set(token, logit)
  return tokenBias
}

function promptTooLong(tokens: string, contextSize: number): TandemError {
  return new TandemError('context_length_exceeded', `messages: the prompt is ${tokens} tokens, and this model's context holds ${contextSize}`, { param: 'messages' })
}

/** A start-up failure, said in terms of the flag that caused it. */
async function startupStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new TandemError('internal', `${what}: ${reason}`, { cause: error })
  }
}
