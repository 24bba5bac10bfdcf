// `npm run build`: every package's own tsdown.config.ts, in one run.
import { defineConfig } from 'tsdown'

export default defineConfig({ workspace: ['packages/*', 'workers/*', 'native-server'] })
