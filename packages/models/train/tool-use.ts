// tsx --conditions=@tandem/source packages/models/train/tool-use.ts [outDir]: how the trained GGUF uses
// define_word, measured through native-server itself (startNativeServer, HTTP, the llama-cpp engine: Tandem's
// prompt renderer, tool grammar and call parser), greedily (temperature 0), on out/tool-eval.json: 100 asks what a
// held-out word means and 100 ordinary prompts, all in phrasings the corpus never uses, every one offered
// DEFINE_WORD_TOOL with tool_choice "auto". Writes packages/models/trained/tool-use.json.
import { writeFile, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { silentLogger, type ChatCompletion, type ChatRequestInput } from '@tandem/protocol'
import { startNativeServer } from '../../../native-server/src/server.ts'
import { DEFINE_WORD_TOOL } from '../src/define-word.ts'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = process.argv[2] ?? join(here, 'out')
const trained = join(here, '..', 'trained')
const MAX_TOKENS = 120

interface Eval {
  defineAsks: Array<{ word: string; prompt: string; gloss: string }>
  ordinary: string[]
}
const evalSet = JSON.parse(await readFile(join(outDir, 'tool-eval.json'), 'utf8')) as Eval

const server = await startNativeServer({
  port: 0,
  threads: 1,
  gpu: 'cpu',
  contextSize: 1024,
  parallel: 1,
  model: [`grok-2-tiny=${join(trained, 'grok-2-tiny.gguf')}`],
  logger: silentLogger,
})

async function complete(messages: ChatRequestInput['messages']): Promise<ChatCompletion['choices'][number]> {
  const body = { model: 'grok-2-tiny', messages, tools: [DEFINE_WORD_TOOL], tool_choice: 'auto', temperature: 0, max_tokens: MAX_TOKENS }
  const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`native-server answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as ChatCompletion).choices[0]!
}

function askedWord(args: string): string | undefined {
  try {
    const word = (JSON.parse(args) as { word?: unknown }).word
    return typeof word === 'string' ? word : undefined
  } catch {
    return undefined
  }
}

const started = performance.now()
const asks = []
for (const { word, prompt, gloss } of evalSet.defineAsks) {
  const user = { role: 'user' as const, content: prompt }
  const first = await complete([user])
  // A call cut by max_tokens has arguments that do not parse: counted as no call, and not answered.
  const call = first.finish_reason === 'tool_calls' ? first.message.tool_calls?.[0] : undefined
  const calledWord = call ? askedWord(call.function.arguments) : undefined
  let answer: string | undefined
  if (call) {
    // The call as the model wrote it, then the gloss as the tool's result: what a page running the tool sends.
    const second = await complete([user, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: gloss }])
    answer = second.message.content ?? ''
  }
  asks.push({ word, prompt, finish: first.finish_reason, called: call?.function.name === DEFINE_WORD_TOOL.function.name, calledWord, answer, quotesGloss: answer?.includes(gloss) ?? false, gloss })
}
const ordinary = []
for (const prompt of evalSet.ordinary) {
  const choice = await complete([{ role: 'user', content: prompt }])
  ordinary.push({ prompt, finish: choice.finish_reason, called: (choice.message.tool_calls?.length ?? 0) > 0, reply: choice.message.content ?? choice.message.tool_calls?.[0]?.function.arguments })
}
const seconds = Math.round((performance.now() - started) / 1000)
await server.close()

const share = (n: number, of: number) => Math.round((n / of) * 1000) / 1000
const calls = asks.filter((a) => a.called)
const figures = {
  model: 'packages/models/trained/grok-2-tiny.gguf',
  path: 'native-server (startNativeServer, POST /v1/chat/completions, llama-cpp engine, CPU, 1 thread)',
  tools: [DEFINE_WORD_TOOL],
  toolChoice: 'auto',
  temperature: 0,
  maxTokens: MAX_TOKENS,
  defineAsks: asks.length,
  callShare: share(calls.length, asks.length),
  askedWordShare: share(asks.filter((a) => a.calledWord === a.word).length, asks.length),
  answerQuotesGlossShare: share(asks.filter((a) => a.quotesGloss).length, asks.length),
  answerQuotesGlossShareOfCalls: share(asks.filter((a) => a.quotesGloss).length, Math.max(1, calls.length)),
  ordinaryPrompts: ordinary.length,
  ordinaryCallShare: share(ordinary.filter((o) => o.called).length, ordinary.length),
  seconds,
  asks,
  ordinary,
}
await writeFile(join(trained, 'tool-use.json'), `${JSON.stringify(figures, null, 1)}\n`)
console.log(
  `tool use (greedy, held-out words): ${Math.round(figures.callShare * 100)}% of ${asks.length} asks call define_word, ${Math.round(figures.askedWordShare * 100)}% with the asked word, ` +
    `${Math.round(figures.answerQuotesGlossShare * 100)}% answer with the gloss verbatim; ${Math.round(figures.ordinaryCallShare * 100)}% of ${ordinary.length} ordinary prompts call it (${seconds} s)`,
)
for (const a of asks.slice(0, 3)) console.log(`  ${JSON.stringify(a.prompt)} -> ${a.calledWord ?? '(no call)'} -> ${JSON.stringify(a.answer)}`)
