import { describe, expect, it } from 'vitest'
import { bearerToken } from './bearer-token.ts'

describe('bearerToken', () => {
  it('reads the credential of a Bearer header and nothing else', () => {
    expect([bearerToken('Bearer sk_1'), bearerToken('bearer  sk_1 '), bearerToken('BEARER a.b.c')]).toEqual(['sk_1', 'sk_1', 'a.b.c'])
    for (const header of [undefined, null, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'sk_1']) expect(bearerToken(header)).toBeUndefined()
  })
})
