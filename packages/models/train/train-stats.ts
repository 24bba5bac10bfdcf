// What train.py wrote of each stage (out/train-stats-{stage}.json), for the scripts that report on the trained model.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface StageStats {
  steps: number
  trainTokens: number
  heldoutLoss: number
  heldoutPerplexity: number
  [figure: string]: number | string | null
}

export interface TrainStats {
  /** Null when the tools stage started from a given GGUF (run.sh --base). */
  base: StageStats | null
  tools: StageStats
  refine: StageStats
}

async function read(outDir: string, stage: string): Promise<StageStats> {
  return JSON.parse(await readFile(join(outDir, `train-stats-${stage}.json`), 'utf8')) as StageStats
}

export async function readTrainStats(outDir: string): Promise<TrainStats> {
  const base = await read(outDir, 'base').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  return { base, tools: await read(outDir, 'tools'), refine: await read(outDir, 'refine') }
}
