// Inside the workspace every package runs from its TypeScript sources: its exports map names them first, under this
// condition. Published, nothing sets it and `dist/` answers. Node takes it as `--conditions`, Vite as `resolve.conditions`.
import { defaultClientConditions, defaultServerConditions } from 'vite'

export const SOURCE_CONDITION = '@tandem/source'

/** Vite's `resolve` for pages built from the workspace's sources. */
export const clientFromSource = { conditions: [SOURCE_CONDITION, ...defaultClientConditions] }

/** Vite's `resolve` for code run in Node from the workspace's sources (vitest). */
export const serverFromSource = { conditions: [SOURCE_CONDITION, ...defaultServerConditions] }
