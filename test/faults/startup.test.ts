// Startup: requests arrive from before tandem-native starts until after it is ready, every few ms,
// directly and through the gateway in workerd. None may be told that the model does not exist: every
// refusal is 503 with Retry-After, or a connection refused before the server listens; through the
// gateway, no request reaches the native-server before it is ready. And the SDK rides through a real
// startup on its own retries.
import { errorEnvelopeSchema } from '@tandem/protocol'
import { createTandem } from '@tandem/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnNode, TANDEM_NATIVE, tandemNativeUrl, type NodeProcess } from '../../scripts/processes.ts'
import { closeAll, gatewayEnv, keys, MODEL, startWorkerdGateway, type Gateway } from '../edge/harness.ts'
import { freePort } from '../native-server/native-process.ts'

/** Callers at once, each sending its next request a few ms after its last answer: never more than the server's slots. */
const CALLERS = 4
const PAUSE_MS = 5
/** Answers after the server said it is ready, before the storm ends. */
const AFTER_READY = 40

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const body = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 })

/** tandem-native on `port`, with when it said it listens and when it said it is ready. */
interface Starting {
  readonly process: NodeProcess
  listeningAt?: number
  readyAt?: number
}

const running: NodeProcess[] = []
const gateways: Gateway[] = []
afterEach(async () => {
  await closeAll(...gateways.splice(0))
  await Promise.all(running.splice(0).map((native) => native.kill()))
})

function startNative(port: number): Starting {
  const starting: { process?: NodeProcess; listeningAt?: number; readyAt?: number } = {}
  starting.process = spawnNode([...TANDEM_NATIVE, '--port', String(port), '--gpu', 'cpu', '--threads', '1', '--context-size', '256', '--parallel', String(CALLERS)], {
    stderr: 'inherit',
    onLine(line) {
      if (line.includes('"listening"')) starting.listeningAt ??= performance.now()
      if (tandemNativeUrl(line) !== undefined) starting.readyAt ??= performance.now()
    },
  })
  running.push(starting.process)
  return starting as Starting
}

interface Tally {
  /** Answers and connection failures by what they were: `200`, `503 model_loading, Retry-After 1`, `refused`, … */
  readonly kinds: Map<string, number>
  /** What must not happen, each once with an example. */
  readonly wrong: string[]
  readonly ok: number
}

/** Sends requests from `CALLERS` callers until `done()`, and sorts what came back. */
async function storm(url: string, headers: Record<string, string>, { refusedIsFine, done }: { refusedIsFine: (sentAt: number) => boolean; done: (ok: number) => boolean }): Promise<Tally> {
  const kinds = new Map<string, number>()
  const wrong = new Set<string>()
  let ok = 0
  const count = (kind: string, fine: boolean) => {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    if (!fine) wrong.add(kind)
  }
  const deadline = performance.now() + 90_000
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (!done(ok) && performance.now() < deadline) {
        const sentAt = performance.now()
        try {
          const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
          const text = await response.text()
          if (response.status === 200) {
            ok++
            count('200', true)
          } else {
            const envelope = errorEnvelopeSchema.safeParse(JSON.parse(text))
            const code = envelope.success ? envelope.data.error.code : 'no envelope'
            const retryAfter = response.headers.get('retry-after')
            count(`${response.status} ${code}, Retry-After ${retryAfter ?? 'none'}`, response.status === 503 && retryAfter !== null && Number(retryAfter) > 0 && envelope.success)
          }
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error)
          if (cause === 'ECONNREFUSED') count(refusedIsFine(sentAt) ? 'refused' : 'refused after listening', refusedIsFine(sentAt))
          else count(`failed: ${cause}`, false)
        }
        await sleep(PAUSE_MS)
      }
    }),
  )
  return { kinds, wrong: [...wrong], ok }
}

const show = (tally: Tally) => [...tally.kinds].map(([kind, n]) => `${n} × ${kind}`).join(', ')

describe('requests while tandem-native starts', () => {
  it('directly: never a 404; only 503 with Retry-After, or refused before it listens', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const started: { native?: Starting } = {}
    const tally = storm(url, {}, {
      refusedIsFine: (sentAt) => started.native?.listeningAt === undefined || sentAt < started.native.listeningAt,
      done: (ok) => started.native?.readyAt !== undefined && ok >= AFTER_READY,
    })
    await sleep(200)
    started.native = startNative(port)
    const result = await tally
    console.log(`startup, direct: ${show(result)}`)
    expect(result.wrong).toEqual([])
    expect(result.kinds.get('refused')).toBeGreaterThan(0)
    expect(result.ok).toBeGreaterThanOrEqual(AFTER_READY)
  })

  it('through the gateway in workerd: never a 404, only 503 with Retry-After, and nothing reaches the native-server before it is ready', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const gateway = await startWorkerdGateway(gatewayEnv([`http://127.0.0.1:${port}`]))
    gateways.push(gateway)
    const started: { native?: Starting } = {}
    const tally = storm(gateway.url, { authorization: `Bearer ${keys.secret}` }, {
      refusedIsFine: () => false,
      done: (ok) => started.native?.readyAt !== undefined && ok >= AFTER_READY,
    })
    await sleep(200)
    started.native = startNative(port)
    const result = await tally
    // Every chat request the native-server answered, by status: a request that reached it while it
    // was loading would have been answered 503.
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    const reached = Object.fromEntries(
      [...metrics.matchAll(/^tandem_requests_total\{status="(\d+)"\} (\d+)$/gm)].map(([, status, n]) => [status!, Number(n)]),
    )
    console.log(`startup, through the gateway: ${show(result)}; the native-server answered ${JSON.stringify(reached)}`)
    expect(result.wrong).toEqual([])
    expect(result.ok).toBeGreaterThanOrEqual(AFTER_READY)
    expect([...result.kinds.keys()].some((kind) => kind.startsWith('503'))).toBe(true)
    expect(reached).toEqual({ 200: result.ok })
  })

  it('the SDK rides through a real startup on its own retries: a refused connection, then 503 with Retry-After, then the answer', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const seen: string[][] = [[], []]
    const client = (index: number) =>
      createTandem({
        model: MODEL,
        route: 'remote-only',
        maxRetries: 5, // the most the SDK allows: refused connections back off 250 ms, 1 s, then 2 s each
        remote: { baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused' },
        async fetch(input: string | URL | Request, init?: RequestInit) {
          // The planner's read of GET /v1/models is not one of the chat attempts counted here.
          if (init?.method !== 'POST') return fetch(input, init)
          try {
            const response = await fetch(input, init)
            seen[index]!.push(`${response.status}${response.headers.has('retry-after') ? ' with Retry-After' : ''}`)
            return response
          } catch (error) {
            seen[index]!.push((error as { cause?: { code?: string } }).cause?.code ?? 'failed')
            throw error
          }
        },
      })
    const ask = async (index: number) => {
      const stream = await client(index).chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, temperature: 0, ignore_eos: true, stream: true })
      let finish: string | null | undefined
      for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish
      return finish
    }
    // One asks before the server starts, one as soon as it listens (while the model loads).
    const early = ask(0)
    const native = startNative(port)
    while (native.listeningAt === undefined) await sleep(1)
    const onListening = ask(1)
    expect(await Promise.all([early, onListening])).toEqual(['length', 'length'])
    console.log(`startup, through the SDK: asked before the start: ${seen[0]!.join(' → ')}; asked as it listened: ${seen[1]!.join(' → ')}`)
    expect(seen[0]![0]).toBe('ECONNREFUSED')
    expect(seen[1]![0]).toBe('503 with Retry-After')
    for (const attempts of seen) {
      expect(attempts.at(-1)).toBe('200')
      expect(attempts.filter((attempt) => !['ECONNREFUSED', '503 with Retry-After', '200'].includes(attempt))).toEqual([])
    }
  })
})
