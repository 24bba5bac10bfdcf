import { describe, expect, it } from 'vitest'
import { findByDigest, keyDigest, timingSafeEqual } from './key-digest.ts'

describe('keyDigest', () => {
  it('is the SHA-256 of the key text', async () => {
    const hex = Array.from(await keyDigest('sk_test'), (b) => b.toString(16).padStart(2, '0')).join('')
    // printf %s sk_test | sha256sum
    expect(hex).toBe('12b2820cf1639904311da5771de1e5bb65c77073fdc7c555df395942df42896b')
  })
})

describe('timingSafeEqual', () => {
  it('compares bytes', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false)
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false)
  })
})

describe('findByDigest', () => {
  it('finds the first entry with the digest', async () => {
    const entries = [
      { id: 'a', sha256: await keyDigest('sk_a') },
      { id: 'b', sha256: await keyDigest('sk_b') },
    ]
    expect(findByDigest(entries, await keyDigest('sk_b'))?.id).toBe('b')
    expect(findByDigest(entries, await keyDigest('sk_c'))).toBeUndefined()
  })
})
