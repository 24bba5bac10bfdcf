// The static server in a process of its own, so a test can read its memory.
// `node --import tsx test/stack/serve-static.ts <root> <models>` prints {"msg":"ready","url":…}.
import { startIsolatedServer } from '../../scripts/static-server.ts'

const [root, models] = process.argv.slice(2)
if (!root || !models) throw new Error('usage: serve-static.ts <root> <models>')
const server = await startIsolatedServer({ root, models })
console.log(JSON.stringify({ msg: 'ready', url: server.url }))
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
