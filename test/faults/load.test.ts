// Load: 32 callers stream through the gateway in workerd for 30 s, each starting a new stream as
// soon as its last one ends, in front of two native-servers. Every stream must arrive whole and
// well-formed, byte for byte what its native-server sent, and no process may grow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, MODEL, UPSTREAM_KEY } from '../edge/harness.ts'
import { descendants, listeningPorts, mib, rssBytes } from './process-memory.ts'
import { readSse } from './raw-sse.ts'
import { startStack, type Stack } from './stack.ts'

const CALLERS = 32
const DURATION_MS = 30_000
/** A stream that takes longer than this counts as hung (they take about a second under this load). */
const STREAM_TIMEOUT_MS = 15_000
/**
 * What a process may grow by in the second half of the load: the larger of the two. The first half
 * is warm-up: V8 in native-server and workerd sizes its heap to the load, and llama.cpp touches its
 * KV cache, which took the gateway's workerd from 160 to 278 MiB there, then 306 at the end.
 */
const GROWTH_MIB = 64
const GROWTH_SHARE = 0.25

// Different prompts and lengths, so chunks of one stream landing in another would change its text.
const PROMPTS = [
  { content: 'Hello there', max_tokens: 24 },
  { content: 'Tell me about the sea.', max_tokens: 40 },
  { content: 'Count to ten, please.', max_tokens: 56 },
  { content: 'What is a gateway?', max_tokens: 72 },
] as const
type Prompt = (typeof PROMPTS)[number]

/** Greedy, and on past the end of the turn, so each answer is exactly max_tokens long. */
const request = ({ content, max_tokens }: Prompt) => ({
  model: MODEL,
  messages: [{ role: 'user', content }],
  max_tokens,
  temperature: 0,
  ignore_eos: true,
  stream: true,
  stream_options: { include_usage: true },
})

interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

interface Chunk {
  id: string
  object: string
  created: number
  model: string
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>
  usage?: Usage | null
}

interface Checked {
  readonly problems: string[]
  /** The body as received. */
  readonly body: string
  /** The answer: its deltas joined. */
  readonly text: string
  readonly contentChunks: number
  readonly usage: Usage | undefined
}

const failed = (problem: string): Checked => ({ problems: [problem], body: '', text: '', contentChunks: 0, usage: undefined })

/** Everything wrong with one streamed answer, judged from its raw bytes. */
async function streamed(url: string, prompt: Prompt, { key, requestId }: { key?: string; requestId?: string } = {}): Promise<Checked> {
  const problems: string[] = []
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key !== undefined && { authorization: `Bearer ${key}` }),
      ...(requestId !== undefined && { 'x-request-id': requestId }),
    },
    body: JSON.stringify(request(prompt)),
    signal: AbortSignal.timeout(STREAM_TIMEOUT_MS),
  })
  if (response.status !== 200) return failed(`status ${response.status}: ${await response.text()}`)
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) problems.push(`content-type ${response.headers.get('content-type')}`)
  const raw = await readSse(response.body!)
  if (raw.strayLines.length > 0) problems.push(`stray lines ${JSON.stringify(raw.strayLines.slice(0, 3))}`)
  if (raw.tail !== '') problems.push(`an unfinished event at the end: ${JSON.stringify(raw.tail.slice(0, 80))}`)
  const other = raw.events.filter((event) => event.event !== 'message')
  if (other.length > 0) problems.push(`events other than messages: ${JSON.stringify(other.slice(0, 2))}`)
  const done = raw.events.flatMap((event, index) => (event.data === '[DONE]' ? [index] : []))
  if (done.length !== 1 || done[0] !== raw.events.length - 1) problems.push(`[DONE] at ${JSON.stringify(done)} of ${raw.events.length} events`)

  const chunks: Chunk[] = []
  for (const event of raw.events.filter((e) => e.event === 'message' && e.data !== '[DONE]')) {
    try {
      chunks.push(JSON.parse(event.data) as Chunk)
    } catch {
      problems.push(`not JSON: ${event.data.slice(0, 80)}`)
    }
  }
  const first = chunks[0]
  if (first === undefined) return { ...failed('no chunks'), problems: [...problems, 'no chunks'] }
  if (!/^chatcmpl-\w+$/.test(first.id)) problems.push(`id ${first.id}`)
  const strangers = chunks.filter((chunk) => chunk.id !== first.id || chunk.created !== first.created || chunk.model !== MODEL || chunk.object !== 'chat.completion.chunk')
  if (strangers.length > 0) problems.push(`${strangers.length} chunks of another stream, e.g. ${JSON.stringify(strangers[0])}`)

  // In order: the role first, then text, then the one finish, then the usage chunk last.
  const withChoice = chunks.filter((chunk) => chunk.choices.length > 0)
  const usageChunks = chunks.filter((chunk) => chunk.usage)
  if (usageChunks.length !== 1 || usageChunks[0] !== chunks.at(-1) || usageChunks[0]!.choices.length !== 0) problems.push(`usage chunks: ${usageChunks.length}, not last alone`)
  if (withChoice.length + 1 !== chunks.length) problems.push('a chunk with neither a choice nor usage')
  if (withChoice[0]?.choices[0]?.delta.role !== 'assistant') problems.push('the first chunk does not name the role')
  if (withChoice.slice(1).some((chunk) => chunk.choices[0]!.delta.role !== undefined)) problems.push('the role named twice')
  const finishes = withChoice.flatMap((chunk, index) => (chunk.choices[0]!.finish_reason === null ? [] : [{ index, reason: chunk.choices[0]!.finish_reason }]))
  if (finishes.length !== 1 || finishes[0]!.index !== withChoice.length - 1 || finishes[0]!.reason !== 'length') problems.push(`finish reasons ${JSON.stringify(finishes)} of ${withChoice.length}`)
  if (withChoice.some((chunk) => chunk.choices.length !== 1 || chunk.choices[0]!.index !== 0)) problems.push('a chunk with another choice than index 0')

  // The tiny vocabulary merges bytes into words, so tokens cannot be counted from the text; with the
  // end of turn pushed down and ignored, the model generates exactly max_tokens, and usage must say so.
  const pieces = withChoice.map((chunk) => chunk.choices[0]!.delta.content ?? '')
  const usage = usageChunks[0]?.usage ?? undefined
  if (usage?.completion_tokens !== prompt.max_tokens || usage.total_tokens !== usage.prompt_tokens + usage.completion_tokens) problems.push(`usage ${JSON.stringify(usage)}`)
  return { problems, body: raw.text, text: pieces.join(''), contentChunks: pieces.filter((piece) => piece !== '').length, usage }
}

interface Sample {
  readonly label: string
  readonly pid: number
}

function rssOf(processes: readonly Sample[]): Map<string, number> {
  return new Map(processes.map(({ label, pid }) => [label, rssBytes(pid) ?? Number.NaN]))
}

let stack: Stack | undefined
beforeAll(async () => {
  // RSS counts what V8 has committed, not what is live. Node 24 lets the young generation grow to
  // far larger semi-spaces under this load (native-server's RSS 209 -> 343 MiB in 60 s while the
  // heap after each mark-compact stayed at 31-32 MB); capped at Node 20's 16 MB, RSS measures what
  // the processes keep. The native-servers inherit this from our environment.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=16`.trim()
  stack = await startStack({ tap: true })
})
afterAll(() => stack?.close())

describe(`${CALLERS} callers streaming through the gateway for ${DURATION_MS / 1000} s`, () => {
  it('get every stream whole, in order and byte for byte what native-server sent, and no process grows', { timeout: 120_000 }, async () => {
    const { gateway, upstreams, taps } = stack!
    // wrangler 4.164 runs its dev proxy (on the gateway's URL) and the gateway in two workerd
    // processes, and may start the second after `ready`: look again once requests have flowed.
    const gatewayPort = Number(new URL(gateway.url).port)
    const role = (pid: number) => (listeningPorts(pid).includes(gatewayPort) ? "wrangler's proxy" : 'gateway')
    const running = (): Sample[] => [
      ...upstreams.map((upstream, i) => ({ label: `native-server ${i} (pid ${upstream.pid})`, pid: upstream.pid })),
      ...descendants()
        .filter((child) => child.name === 'workerd')
        .map(({ pid }) => ({ label: `workerd, ${role(pid)} (pid ${pid})`, pid })),
    ]
    const cold = rssOf(running())

    // The answers asked alone, straight from each native-server: both must agree.
    const references = new Map<Prompt, Checked>()
    for (const prompt of PROMPTS) {
      const [a, b] = await Promise.all(upstreams.map((upstream) => streamed(upstream.url, prompt, { key: UPSTREAM_KEY })))
      expect(a!.problems).toEqual([])
      expect(b!.text).toBe(a!.text)
      expect(a!.text.length).toBeGreaterThan(0)
      references.set(prompt, a!)
    }
    expect(new Set([...references.values()].map((reference) => reference.text)).size).toBe(PROMPTS.length)

    // One round at full concurrency before the baseline: first-use allocations (llama.cpp's batch
    // buffers, workerd's JIT) are not growth.
    await Promise.all(Array.from({ length: CALLERS }, (_, i) => streamed(gateway.url, PROMPTS[i % PROMPTS.length]!, { key: keys.secret })))
    const processes = running()
    expect(processes.filter(({ label }) => label.includes('gateway'))).toHaveLength(1)
    const warm = rssOf(processes)

    const counts = { completed: 0, failed: 0, sameAsAlone: 0, contentChunks: 0, completionTokens: 0 }
    const failures: string[] = []
    const started = performance.now()
    const deadline = started + DURATION_MS
    // Growth is read from halfway: growth that levels off is caches filling; growth that keeps its
    // pace is a leak or garbage not yet collected (no GC can be forced in another process).
    let halfway = new Map<string, number>()
    const halfwayTimer = setTimeout(() => (halfway = rssOf(processes)), DURATION_MS / 2)
    async function caller(index: number): Promise<void> {
      for (let round = 0; performance.now() < deadline; round++) {
        const prompt = PROMPTS[(index + round) % PROMPTS.length]!
        const requestId = `load-${index}-${round}`
        const result = await streamed(gateway.url, prompt, { key: keys.secret, requestId }).catch((error: unknown) =>
          failed(`request failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
        )
        // What the native-server sent, as the tap in front of it saw it: exactly one of them answered.
        const sent = taps.map((tap) => tap.take(requestId)).filter((body) => body !== undefined)
        if (result.problems.length === 0 && (sent.length !== 1 || sent[0] !== result.body)) {
          result.problems.push(`the client got other bytes than the upstream sent (${sent.length} upstreams answered): ${JSON.stringify(result.body.slice(0, 200))} vs ${JSON.stringify(sent.map((body) => body.slice(0, 200)))}`)
        }
        // Not asserted: greedy decoding is not the same in every batch (llama.cpp's sums round
        // differently as the batch changes, and a near-tie flips). On the random tiny model one of
        // these prompts took the other branch at its 48th character in about 60% of its runs under
        // load, always to the same other text; the relay is held to the upstream's bytes instead.
        if (result.text === references.get(prompt)!.text) counts.sameAsAlone++
        if (result.problems.length > 0) {
          counts.failed++
          failures.push(`caller ${index} round ${round}: ${result.problems.join('; ')}`)
          continue
        }
        counts.completed++
        counts.contentChunks += result.contentChunks
        counts.completionTokens += result.usage!.completion_tokens
      }
    }
    await Promise.all(Array.from({ length: CALLERS }, (_, i) => caller(i)))
    clearTimeout(halfwayTimer)
    const seconds = (performance.now() - started) / 1000

    await new Promise((resolve) => setTimeout(resolve, 2000))
    const after = rssOf(processes)
    const memory = processes.map(({ label }) => {
      const [c, w, h, a] = [cold.get(label) ?? Number.NaN, warm.get(label)!, halfway.get(label) ?? Number.NaN, after.get(label)!]
      return { label, coldMiB: mib(c), warmMiB: mib(w), halfwayMiB: mib(h), afterMiB: mib(a), growthMiB: mib(a - h), allowedMiB: mib(Math.max(GROWTH_MIB * 2 ** 20, h * GROWTH_SHARE)) }
    })
    console.log(
      `load: ${counts.completed} streams completed, ${counts.failed} failed, ${counts.sameAsAlone} with the text of the same prompt asked alone, ` +
        `${counts.contentChunks} content chunks, ${counts.completionTokens} completion tokens in ${seconds.toFixed(1)} s ` +
        `(${Math.round(counts.completionTokens / seconds)} tokens/s, ${(counts.completed / seconds).toFixed(1)} streams/s)`,
    )
    console.log(`memory (RSS, MiB; cold = started (blank if not yet), warm = after one round of ${CALLERS}, halfway = ${DURATION_MS / 2000} s into the load, after = ${DURATION_MS / 1000} s of load and 2 s to settle; growth = after − halfway):`)
    console.table(memory)

    expect(failures.slice(0, 5)).toEqual([])
    expect(counts.failed).toBe(0)
    // 32 callers on ~1 s streams for 30 s: hundreds of streams; far fewer means the stack stalled.
    expect(counts.completed).toBeGreaterThan(CALLERS * 5)
    for (const { label, growthMiB, allowedMiB, afterMiB } of memory) {
      expect(Number.isFinite(afterMiB), `${label} is still running`).toBe(true)
      expect(growthMiB, `${label} grew by ${growthMiB} MiB`).toBeLessThanOrEqual(allowedMiB)
    }
  })
})
