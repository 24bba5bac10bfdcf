// The chat element's drop-in build (packages/chat-element/dist: tandem-chat.js, its worker and wasm),
// which the dev stack serves under /embed/: built when missing, by the package's own build script.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { root } from '../processes.ts'

export const EMBED_DIST = root('packages/chat-element/dist')
const BUILD = ['run', 'build', '--workspace', '@tandem/chat-element']

/** Whether the drop-in build is there, after building it when it was not; a failed build is a warning, not the end of `npm start`. */
export async function ensureEmbedBuild(signal?: AbortSignal, log: (line: string) => void = console.log): Promise<boolean> {
  const built = () => existsSync(join(EMBED_DIST, 'tandem-chat.js'))
  if (built()) return true
  log('building the chat element’s drop-in build…')
  const why = await npm(BUILD, signal)
  if (why === undefined && built()) return true
  log(`! /embed/ is not served: \`npm ${BUILD.join(' ')}\` ${why ?? `wrote no ${join(EMBED_DIST, 'tandem-chat.js')}`}`)
  return false
}

/** Runs npm (the one running us, when npm started us); undefined when it succeeds, else why it failed, in one line. */
function npm(args: string[], signal?: AbortSignal): Promise<string | undefined> {
  const cli = process.env.npm_execpath
  const [command, all] = cli ? [process.execPath, [cli, ...args]] : ['npm', args]
  const child = spawn(command, all, { cwd: root(''), stdio: ['ignore', 'pipe', 'pipe'], signal })
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
  return new Promise((resolve) => {
    child.once('error', (error) => resolve(signal?.aborted ? 'stopped' : `could not run: ${error.message}`))
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(undefined)
      const lines = output.split('\n').map((line) => line.trim()).filter(Boolean)
      // The tool's own error first; npm's lines around it only say that the script failed.
      const own = lines.find((line) => /error/i.test(line) && !/^npm (error|ERR!)/.test(line))
      const reason = own ?? lines.find((line) => /missing script/i.test(line))?.replace(/^npm error /, '') ?? lines.at(-1) ?? ''
      resolve(`failed (${signal ?? `exit ${code}`})${reason ? `: ${reason}` : ''}`)
    })
  })
}
