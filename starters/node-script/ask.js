// Streams one answer from a Tandem server (native-server, or a gateway) to stdout, then says which route answered.
//   TANDEM_BASE_URL=http://127.0.0.1:8787/v1 TANDEM_API_KEY=sk_… node ask.js "Say something."
import { createTandem } from '@tandem/sdk'

const baseURL = process.env.TANDEM_BASE_URL ?? 'http://127.0.0.1:8787/v1'
const apiKey = process.env.TANDEM_API_KEY
if (!apiKey) {
  console.error('ask.js: set TANDEM_API_KEY (npm start prints a development key)')
  process.exit(2)
}

const tandem = createTandem({ model: process.env.TANDEM_MODEL ?? 'grok-2-tiny', route: 'remote-only', remote: { baseURL, apiKey } })
const stream = await tandem.chat.completions.create({
  messages: [{ role: 'user', content: process.argv[2] ?? 'Say something.' }],
  stream: true,
})
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
process.stdout.write(`\n[route: ${stream.route}]\n`)
await tandem.close()
