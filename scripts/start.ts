// npm start: the main job. Builds what is missing, then starts every part of the stack that exists.
import { ensureTinyModel } from '@tandem/models/node'
import { GROK_2_TINY, parameterCount } from '@tandem/models'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'

const model = await ensureTinyModel({
  onProgress: (p) => p.stage === 'building' && console.log('building the tiny Grok-2…'),
})
const f16 = model.manifest.variants.find((v) => v.id === 'f16')!.files[0]!
console.log(`✓ tiny Grok-2  ${model.f16Path} (${(f16.bytes / 1e6).toFixed(1)} MB, ${(parameterCount(GROK_2_TINY).total / 1e6).toFixed(2)}M parameters)`)

// Parts that later work brings; each is started here once its entry point exists.
const parts = [
  { name: 'native-server', entry: 'native-server/src/main.ts', issue: 3 },
  { name: 'demo', entry: 'demo/index.html', issue: 7 },
]
for (const part of parts) {
  if (!existsSync(part.entry)) console.log(`· ${part.name} not built yet (issue #${part.issue})`)
}

// native-server: the tiny Grok-2 behind an OpenAI-compatible API, in the foreground until Ctrl-C.
if (existsSync('native-server/src/main.ts')) await runNativeServer()

function runNativeServer(): Promise<void> {
  // A process group of its own: Ctrl-C reaches it once, through the forward below, not twice.
  const child = spawn(process.execPath, ['native-server/bin/tandem-native.js'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  createInterface({ input: child.stdout }).on('line', (line) => {
    let entry: { level?: string; msg?: string; url?: string; models?: string[] }
    try {
      entry = JSON.parse(line)
    } catch {
      return console.log(line)
    }
    if (entry.msg === 'ready') {
      console.log(`✓ native-server ${entry.url}  serving ${entry.models?.join(', ')}: POST ${entry.url}/v1/chat/completions (Ctrl-C stops it)`)
    } else if (entry.level === 'warn' || entry.level === 'error' || entry.msg === 'stopped') {
      console.log(line)
    }
  })
  // The first Ctrl-C (or SIGTERM) asks the server to drain and waits for its clean exit; tsx may relay a signal twice.
  let forwarded = false
  const forward = (signal: NodeJS.Signals) => {
    if (forwarded || child.exitCode !== null) return
    forwarded = true
    child.kill(signal)
  }
  process.on('SIGINT', () => forward('SIGINT'))
  process.on('SIGTERM', () => forward('SIGTERM'))
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'))
  return new Promise((resolve) =>
    child.once('close', (code) => {
      process.exitCode = code ?? 0
      resolve()
    }),
  )
}
