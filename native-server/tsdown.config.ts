import { defineConfig } from 'tsdown'
import { base } from '../tsdown.base.ts'

// main.ts is the `tandem-native` command (its shebang is kept).
export default defineConfig({ ...base, platform: 'node', target: 'node22.12', entry: ['src/index.ts', 'src/main.ts'] })
