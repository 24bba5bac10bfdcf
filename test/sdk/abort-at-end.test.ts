// A client that aborts just as a stream's last bytes arrive must not hang. On Node 20 and 22, fetch
// can leave `reader.read()` pending forever when its signal aborts while the final chunk and [DONE]
// are arriving (raw fetch hung within 40 tries there, as does the openai client on it). The SDK
// must end every such stream, on every Node the project supports: CI's Node 22 pass runs this file
// beside the unit tests. The server is the real one on the tiny Grok-2, in this process.
import { silentLogger, startNativeServer, type NativeServer } from '@tandem/native-server'
import { createTandem, TandemError } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const TRIES = 240
/** A try that has not ended in this long is hung: the streams take milliseconds. */
const HANG_MS = 5_000

let server: NativeServer
beforeAll(async () => {
  // A chunk per token: the last content, the finish, the usage and [DONE] come in quick succession.
  server = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 256, parallel: 2, streamIntervalMs: 0, logger: silentLogger })
})
afterAll(() => server?.close())

/** When, relative to the end of the answer, the caller gives up. */
const moments = [
  'on the text chunk a token before the end',
  'on the last text chunk',
  'on the finish chunk',
  'a microtask after the finish chunk',
  'a macrotask after the finish chunk',
  'on the first chunk of a one-token answer',
  '0-2 ms after the first chunk of a one-token answer',
] as const
type Moment = (typeof moments)[number]

describe('a stream aborted as its last bytes arrive', () => {
  it(`never hangs the SDK (${TRIES} tries)`, { timeout: 120_000 }, async () => {
    const tandem = createTandem({ model: 'grok-2-tiny', route: 'remote-only', maxRetries: 0, remote: { baseURL: `${server.url}/v1`, apiKey: 'unused' } })
    const ends = new Map<string, number>()
    const hung: string[] = []
    const unexpected: unknown[] = []

    async function once(moment: Moment, viaStream: boolean): Promise<'finished' | 'aborted'> {
      const controller = new AbortController()
      const oneToken = moment.includes('one-token')
      const stream = await tandem.chat.completions.create({
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: oneToken ? 1 : moment === 'on the text chunk a token before the end' ? 4 : 3,
        temperature: 0,
        ignore_eos: true,
        stream: true,
        signal: controller.signal,
      })
      const abort = () => (viaStream ? stream.abort() : controller.abort())
      let chunks = 0
      try {
        for await (const chunk of stream) {
          chunks++
          const last = chunk.choices[0]?.finish_reason != null
          if ((moment === 'on the text chunk a token before the end' || moment === 'on the last text chunk') && chunks === 3) abort()
          else if (moment === 'on the finish chunk' && last) abort()
          else if (moment === 'a microtask after the finish chunk' && last) queueMicrotask(abort)
          else if (moment === 'a macrotask after the finish chunk' && last) setTimeout(abort, 0)
          else if (moment === 'on the first chunk of a one-token answer' && chunks === 1) abort()
          else if (moment === '0-2 ms after the first chunk of a one-token answer' && chunks === 1) setTimeout(abort, Math.floor(Math.random() * 3))
        }
        return 'finished'
      } catch (error) {
        if (TandemError.isInstance(error) && error.code === 'aborted') return 'aborted'
        throw error
      }
    }

    for (let i = 0; i < TRIES && hung.length < 3; i++) {
      const moment = moments[i % moments.length]!
      const viaStream = Math.floor(i / moments.length) % 2 === 0
      const label = `${moment}, ${viaStream ? 'stream.abort()' : 'the signal'}`
      let timer: ReturnType<typeof setTimeout> | undefined
      const outcome = await Promise.race([
        once(moment, viaStream).catch((error: unknown) => {
          unexpected.push(error)
          return 'failed' as const
        }),
        new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS))),
      ])
      clearTimeout(timer)
      if (outcome === 'hung') hung.push(`try ${i + 1}: ${label}`)
      ends.set(outcome, (ends.get(outcome) ?? 0) + 1)
    }
    console.log(`abort at the end of a stream, Node ${process.version}: ${[...ends].map(([end, n]) => `${n} ${end}`).join(', ')}`)
    expect(hung).toEqual([])
    expect(unexpected).toEqual([])
    // Each try ended one way or the other, and both ways were reached: the abort came first, or the end of the answer did.
    expect((ends.get('aborted') ?? 0) + (ends.get('finished') ?? 0)).toBe(TRIES)
    expect([ends.get('aborted'), ends.get('finished')]).toEqual([expect.any(Number), expect.any(Number)])
    await expect.poll(() => server.engine.stats().active).toBe(0)
  })
})
