import { describe, expect, it } from 'vitest'
import { parseInline, parseMarkdown, safeHref } from './markdown.ts'

describe('parseMarkdown', () => {
  it('reads paragraphs, headings, lists, quotes and fenced code', () => {
    const blocks = parseMarkdown('# Title\n\nsome **bold** and `code`\nsecond line\n\n- a\n- b\n1. one\n> said\n```ts\nconst x = 1 < 2\n```')
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'quote', 'code'])
    expect(blocks[5]).toEqual({ kind: 'code', lang: 'ts', text: 'const x = 1 < 2' })
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b' }]] })
  })

  it('keeps an unclosed fence (a stream still arriving) as code to the end', () => {
    expect(parseMarkdown('x\n```\nlet a')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'x' }] },
      { kind: 'code', lang: '', text: 'let a' },
    ])
  })

  it('keeps HTML as text, never markup', () => {
    expect(parseInline('<img src=x onerror=alert(1)> & <b>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)> & <b>' }])
  })

  it('links only to http(s) URLs', () => {
    expect(parseInline('[ok](https://example.com/a)')).toEqual([{ kind: 'link', href: 'https://example.com/a', children: [{ kind: 'text', text: 'ok' }] }])
    expect(parseInline('[x](javascript:alert(1))')[0]).toMatchObject({ kind: 'text' })
    expect(safeHref('data:text/html,hi')).toBeUndefined()
    expect(safeHref('/relative')).toBeUndefined()
  })

  it('nests emphasis and handles arbitrary bytes', () => {
    expect(parseInline('**a _b_**')).toEqual([{ kind: 'strong', children: [{ kind: 'text', text: 'a ' }, { kind: 'em', children: [{ kind: 'text', text: 'b' }] }] }])
    expect(() => parseMarkdown('\u0000\ufffd\u0007*`_[](')).not.toThrow()
  })
})
