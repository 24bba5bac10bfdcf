// The floor for any gateway: node:http in, node:http out over keep-alive, bodies piped, nothing checked.
// `node bench/bare-proxy.ts <upstream URL>` prints "listening on <url>".
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.argv[2]!)
const agent = new Agent({ keepAlive: true })
const server = createServer((req, res) => {
  const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  forward.on('error', () => res.destroy())
  req.pipe(forward)
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`))
