// The client against a plain node:http server on loopback: status, headers, bodies, streaming,
// backpressure-free reads, aborts before and after the response, and connection failures.
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpFetch } from './http-fetch.ts'

let server: Server
let base: string
const closed: string[] = []
let held: ServerResponse | undefined

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      if (request.url === '/echo') {
        response.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] })
        response.end(JSON.stringify({ method: request.method, body, id: request.headers['x-request-id'], length: request.headers['content-length'] }))
      } else if (request.url === '/stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.write('data: 1\n\n')
        held = response
        response.on('close', () => closed.push('stream'))
      } else if (request.url === '/cut') {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.write('data: 1\n\n', () => setTimeout(() => response.socket?.destroy(), 20))
      } else {
        setTimeout(() => response.end('late'), 5_000)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise<void>((resolve) => server.close(() => resolve()))
})

const decoder = new TextDecoder()
const httpFetch = createHttpFetch()

describe('createHttpFetch', () => {
  it('sends the method, headers and body and returns status, headers and body', async () => {
    const response = await httpFetch(`${base}/echo`, { method: 'POST', headers: { 'x-request-id': 'r1' }, body: 'héllo' })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-multi')).toBe('a, b')
    expect(JSON.parse(await response.text())).toEqual({ method: 'POST', body: 'héllo', id: 'r1', length: '6' })
  })

  it('streams a body as it arrives, and cancelling it closes the connection', async () => {
    const response = await httpFetch(`${base}/stream`, { method: 'GET', headers: {} })
    const reader = response.body!.getReader()
    expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n')
    held!.write('data: 2\n\n')
    expect(decoder.decode((await reader.read()).value)).toBe('data: 2\n\n')
    await reader.cancel()
    await expect.poll(() => closed).toContain('stream')
  })

  it('errors the body, read either way, when the connection drops mid-response', async () => {
    const response = await httpFetch(`${base}/cut`, { method: 'GET', headers: {} })
    const reader = response.body!.getReader()
    await reader.read()
    await expect(reader.read()).rejects.toThrow()
    await expect((await httpFetch(`${base}/cut`, { method: 'GET', headers: {} })).text()).rejects.toThrow()
  })

  it('rejects with the abort reason before the response, and errors the body after it', async () => {
    const early = new AbortController()
    const pending = httpFetch(`${base}/slow`, { method: 'GET', headers: {}, signal: early.signal })
    early.abort(new DOMException('no answer in time', 'TimeoutError'))
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' })

    const late = new AbortController()
    const response = await httpFetch(`${base}/stream`, { method: 'GET', headers: {}, signal: late.signal })
    const reader = response.body!.getReader()
    await reader.read()
    late.abort()
    await expect(reader.read()).rejects.toThrow()
  })

  it('rejects when nothing listens', async () => {
    await expect(httpFetch('http://127.0.0.1:9/x', { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })
})
