import type { LoadRequest } from '@tandem/protocol'
import type { LocalEngine } from '../engine.ts'

// Imported on demand: a page that runs GGUF never parses web-llm (and the other way round).
const engines: Record<LoadRequest['engine'], () => Promise<LocalEngine>> = {
  wllama: async () => (await import('./wllama.ts')).createWllamaEngine(),
  'web-llm': async () => (await import('./web-llm.ts')).createWebLlmEngine(),
}

export function createEngine(name: LoadRequest['engine']): Promise<LocalEngine> {
  return engines[name]()
}
