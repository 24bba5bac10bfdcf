// A transparent HTTP hop in front of a native-server that keeps a copy of every response body by
// its x-request-id: what the upstream really sent, to compare with what the gateway's client got.
// Bodies flow through untouched and with backpressure (pipe), and closing either side closes the other.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SseTap {
  readonly url: string
  /** A response body by its request's x-request-id, as received so far, forgotten once taken. */
  take(requestId: string): string | undefined
  close(): Promise<void>
}

export async function startSseTap(target: string): Promise<SseTap> {
  const bodies = new Map<string, Buffer[]>()
  const server = createServer(function relay(incoming: IncomingMessage, outgoing: ServerResponse) {
    const id = incoming.headers['x-request-id']
    const copy: Buffer[] = []
    if (typeof id === 'string') bodies.set(id, copy)
    const onward = request(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.on('data', (bytes: Buffer) => copy.push(bytes))
      answer.pipe(outgoing)
      answer.on('error', () => outgoing.destroy())
    })
    onward.on('error', () => outgoing.destroy())
    outgoing.on('close', () => onward.destroy())
    incoming.pipe(onward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    take: (requestId) => {
      const copy = bodies.get(requestId)
      bodies.delete(requestId)
      return copy && Buffer.concat(copy).toString('utf8')
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
