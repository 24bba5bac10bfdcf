import { describe, expect, it } from 'vitest'
import { requestIdFor } from './request-id.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('requestIdFor', () => {
  it("keeps a caller's id made of safe characters", () => {
    for (const id of ['abc-123', 'trace:1.2', 'b64==', 'x'.repeat(128)]) expect(requestIdFor(id)).toBe(id)
  })

  it('replaces a missing, long or unsafe id with a fresh UUID', () => {
    for (const id of [undefined, null, '', 'bad id with spaces', 'x'.repeat(129), 'a\nb', 'é']) expect(requestIdFor(id)).toMatch(UUID)
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined))
  })
})
