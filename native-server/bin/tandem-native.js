#!/usr/bin/env node
// The package ships TypeScript sources (no build step in the monorepo): tsx compiles them on the fly.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
