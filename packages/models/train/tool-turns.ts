// tsx packages/models/train/tool-turns.ts [outDir]: renders the tool dialogues of out/corpus.jsonl (OpenAI-style
// `messages` offered DEFINE_WORD_TOOL) to turns through Tandem's own chatTurns, the function both routes render
// requests with, so the tools turn, the calls and the results are the prompt module's bytes. It adds `turns` to
// each such line, and to the first 500 the whole prompt as renderGrok2Prompt writes it (`golden`), which
// prepare.py checks its own rendering against.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChatRequest } from '@tandem/protocol'
import { DEFINE_WORD_TOOL } from '../src/define-word.ts'
import { chatTurns, promptText, renderGrok2Prompt } from '../src/prompt/index.ts'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = process.argv[2] ?? join(here, 'out')
const GOLDEN = 500

const path = join(outDir, 'corpus.jsonl')
const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
let tools = 0
const out = lines.map((line) => {
  const conv = JSON.parse(line) as { messages?: ChatRequest['messages']; tools?: string[] } & Record<string, unknown>
  if (conv.messages === undefined) return line
  if (JSON.stringify(conv.tools) !== JSON.stringify([DEFINE_WORD_TOOL.function.name])) throw new Error(`corpus.jsonl: unknown tools ${JSON.stringify(conv.tools)}`)
  const turns = chatTurns({ messages: conv.messages, tools: [DEFINE_WORD_TOOL] })
  const rendered = tools++ < GOLDEN ? { golden: promptText(renderGrok2Prompt(turns)) } : {}
  return JSON.stringify({ ...conv, turns: turns.map((t) => [t.role, t.text]), ...rendered })
})
await writeFile(path, `${out.join('\n')}\n`)
console.log(`tool-turns: ${tools} tool dialogues rendered through chatTurns`)
