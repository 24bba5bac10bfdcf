import type { ChatCompletionChunk as MlcChunk, ChatCompletionRequestStreaming, MLCEngine, ModelRecord } from '@mlc-ai/web-llm'
import { TandemError, assistantPrefix, type ChatCompletionChunk, type ChatRequest, type ChatStreamPart, type LoadRequest } from '@tandem/protocol'
import type { EngineInfo, EngineLoad, LocalEngine } from '../engine.ts'
import { engineError } from '../engine-errors.ts'
import { checkWebGpu } from './webgpu-check.ts'

/** The loaded engine, and the model id its chunks carry. */
interface WebLlmState {
  engine?: MLCEngine
  modelId: string
}

/**
 * MLC builds on WebGPU. web-llm fetches a model's config and library before it looks at the GPU,
 * and reports failures late and loosely; so the adapter and the build's features are checked
 * here first, and everything it throws becomes a TandemError, fast, so the SDK can fall back.
 */
export function createWebLlmEngine(): LocalEngine {
  const state: WebLlmState = { modelId: '' }
  return {
    load: (job) => load(state, job),
    chat: (request, signal) => chat(state, request, signal),
    unload: () => unload(state),
  }
}

async function load(state: WebLlmState, { request, progress }: EngineLoad): Promise<EngineInfo> {
  // A custom record is checked before web-llm (6 MB of JavaScript) is even parsed.
  if (request.mlcRecord) await checkWebGpu(request.mlcRecord.required_features ?? [])
  const webllm = await import('@mlc-ai/web-llm')
  const record = recordFor(request, webllm.prebuiltAppConfig.model_list)
  if (!request.mlcRecord) await checkWebGpu(record.required_features ?? [])
  try {
    state.engine = await webllm.CreateMLCEngine(record.model_id, {
      appConfig: { model_list: [record] },
      logLevel: 'ERROR',
      initProgressCallback: (report) =>
        progress({ stage: report.progress < 1 ? 'download' : 'load', fraction: report.progress, loadedBytes: 0, totalBytes: 0, shardsDone: 0, shardsTotal: 0, bytesPerSecond: 0 }),
    })
  } catch (failure) {
    throw engineError('web-llm', failure)
  }
  state.modelId = request.model
  return {}
}

async function* chat(state: WebLlmState, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
  const running = state.engine
  if (!running) {
    yield { type: 'error', error: new TandemError('model_not_loaded', 'no model is loaded in the local worker') }
    return
  }
  if (assistantPrefix(request) !== undefined) {
    yield { type: 'error', error: new TandemError('unsupported', 'web-llm cannot continue an assistant prefix') }
    return
  }
  const stop = () => running.interruptGenerate()
  signal.addEventListener('abort', stop, { once: true })
  try {
    const stream = await running.chat.completions.create(toMlcRequest(request))
    for await (const chunk of stream) {
      if (signal.aborted) break
      yield { type: 'chunk', chunk: fromMlcChunk(chunk, state.modelId) }
    }
    yield signal.aborted ? { type: 'error', error: new TandemError('aborted', 'the request was aborted') } : { type: 'done' }
  } catch (failure) {
    yield { type: 'error', error: engineError('web-llm', failure) }
  } finally {
    signal.removeEventListener('abort', stop)
  }
}

async function unload(state: WebLlmState): Promise<void> {
  const running = state.engine
  state.engine = undefined
  await running?.unload()
}

function recordFor(request: LoadRequest, prebuilt: ModelRecord[]): ModelRecord {
  if (request.mlcRecord) return { ...request.mlcRecord, model_id: request.model }
  const found = prebuilt.find((record) => record.model_id === request.model)
  if (!found) throw new TandemError('not_found', `web-llm has no prebuilt model "${request.model}"; pass an MLC record`, { param: 'model' })
  return found
}

function toMlcRequest(request: ChatRequest): ChatCompletionRequestStreaming {
  const { model: _model, messages, stream: _stream, stream_options, ...rest } = request
  const body = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined && value !== null))
  return {
    ...body,
    // web-llm has no developer role; it is a system message by another name.
    messages: messages.map((m) => (m.role === 'developer' ? { ...m, role: 'system' } : m)) as ChatCompletionRequestStreaming['messages'],
    stream: true,
    stream_options: { include_usage: stream_options?.include_usage ?? false },
  }
}

function fromMlcChunk(chunk: MlcChunk, model: string): ChatCompletionChunk {
  return {
    id: chunk.id,
    object: 'chat.completion.chunk',
    created: chunk.created,
    model,
    choices: chunk.choices.map((choice) => ({
      index: choice.index,
      delta: {
        ...(choice.delta.role === 'assistant' ? { role: 'assistant' as const } : {}),
        ...(choice.delta.content ? { content: choice.delta.content } : {}),
        ...(choice.delta.tool_calls?.length ? { tool_calls: choice.delta.tool_calls } : {}),
      },
      finish_reason: choice.finish_reason === 'abort' ? 'stop' : (choice.finish_reason ?? null),
      logprobs: null,
    })),
    ...(chunk.usage ? { usage: { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens } } : {}),
  }
}
