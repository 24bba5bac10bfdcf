import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // The local worker finds its worker file and wasm beside itself (new URL(…, import.meta.url)); Vite's dev-time
  // pre-bundling would move it away from them. Builds are unaffected.
  optimizeDeps: { exclude: ['@tandem/local-worker'] },
  worker: { format: 'es' },
})
