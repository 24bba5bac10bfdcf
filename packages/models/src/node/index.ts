export { MODELS_DIR, TINY_MANIFEST, ensureTinyModel } from './ensure-tiny.ts'
export type { TinyModelFiles, TinyProgress } from './ensure-tiny.ts'
