// A small, safe Markdown subset for model output. Text is parsed into blocks and inline spans, then
// built as DOM nodes with textContent: model text never becomes HTML, so it cannot inject any.
// Links keep only http(s) URLs and open in a new tab without an opener.

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] }

export type Block =
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; content: Inline[] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'quote'; content: Inline[] }

const FENCE = /^\s*```\s*([\w+-]*)\s*$/
const HEADING = /^(#{1,6})\s+(.*)$/
const BULLET = /^\s*[-*+]\s+(.*)$/
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/
const QUOTE = /^\s*>\s?(.*)$/

/** Blocks of `text`; an unclosed code fence (a stream still arriving) runs to the end. */
export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let paragraph: string[] = []
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join('\n')) })
    paragraph = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const fence = FENCE.exec(line)
    if (fence) {
      flush()
      const body: string[] = []
      while (++i < lines.length && !FENCE.test(lines[i]!)) body.push(lines[i]!)
      blocks.push({ kind: 'code', lang: fence[1] ?? '', text: body.join('\n') })
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      flush()
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1, content: parseInline(heading[2]!) })
      continue
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line)
    if (item) {
      flush()
      const ordered = !BULLET.test(line)
      const last = blocks.at(-1)
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(parseInline(item[1]!))
      else blocks.push({ kind: 'list', ordered, items: [parseInline(item[1]!)] })
      continue
    }
    const quote = QUOTE.exec(line)
    if (quote) {
      flush()
      blocks.push({ kind: 'quote', content: parseInline(quote[1]!) })
      continue
    }
    if (line.trim() === '') flush()
    else paragraph.push(line)
  }
  flush()
  return blocks
}

const INLINE = /`([^`\n]+)`|\*\*([^*]+?)\*\*|__([^_]+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|\[([^\]\n]+)\]\(([^)\s]+)\)/g

export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let at = 0
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) out.push({ kind: 'text', text: text.slice(at, match.index) })
    const [whole, code, strong1, strong2, em1, em2, label, href] = match
    if (code !== undefined) out.push({ kind: 'code', text: code })
    else if (strong1 ?? strong2) out.push({ kind: 'strong', children: parseInline((strong1 ?? strong2)!) })
    else if (em1 ?? em2) out.push({ kind: 'em', children: parseInline((em1 ?? em2)!) })
    else if (label !== undefined && safeHref(href!)) out.push({ kind: 'link', href: safeHref(href!)!, children: parseInline(label) })
    else out.push({ kind: 'text', text: whole })
    at = match.index + whole.length
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) })
  return out
}

/** Only absolute http(s) URLs: no javascript:, data: or relative tricks. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/** DOM nodes for the blocks, built with createElement and textContent only. */
export function renderMarkdown(text: string, doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment()
  for (const block of parseMarkdown(text)) fragment.append(renderBlock(block, doc))
  return fragment
}

function renderBlock(block: Block, doc: Document): Node {
  switch (block.kind) {
    case 'paragraph':
      return withInline(doc.createElement('p'), block.content, doc)
    case 'heading':
      return withInline(doc.createElement(`h${block.level}`), block.content, doc)
    case 'quote':
      return withInline(doc.createElement('blockquote'), block.content, doc)
    case 'code': {
      const pre = doc.createElement('pre')
      const code = pre.appendChild(doc.createElement('code'))
      if (block.lang) code.dataset.lang = block.lang
      code.textContent = block.text
      return pre
    }
    case 'list': {
      const list = doc.createElement(block.ordered ? 'ol' : 'ul')
      for (const item of block.items) list.append(withInline(doc.createElement('li'), item, doc))
      return list
    }
  }
}

function withInline<E extends HTMLElement>(element: E, spans: Inline[], doc: Document): E {
  for (const span of spans) element.append(renderInline(span, doc))
  return element
}

function renderInline(span: Inline, doc: Document): Node {
  switch (span.kind) {
    case 'text':
      return doc.createTextNode(span.text)
    case 'code': {
      const code = doc.createElement('code')
      code.textContent = span.text
      return code
    }
    case 'strong':
    case 'em':
      return withInline(doc.createElement(span.kind), span.children, doc)
    case 'link': {
      const a = withInline(doc.createElement('a'), span.children, doc)
      a.href = span.href
      a.target = '_blank'
      a.rel = 'noopener noreferrer'
      return a
    }
  }
}
