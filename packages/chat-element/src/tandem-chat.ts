// <tandem-chat>: a streaming chat on @tandem/sdk. Attributes configure it; the conversation lives in
// the element. Model text is rendered as DOM built from a safe Markdown subset, never as HTML.
import { ROUTE_MODES, TandemError, createTandem, type CreateParams, type Plan, type RouteMode, type Tandem, type TandemOptions } from '@tandem/sdk'
import type { ChatMessageInput } from './chat-message.ts'
import { AnswerView } from './answer-view.ts'
import { describeError } from './messages.ts'
import { styles } from './styles.ts'
import { MAX_STEPS, readTools, recordedCall, runToolCall, toolFields, type ChatTool, type ChatToolChoice } from './tools.ts'

const template = `
<header part="header"><span class="route" part="route"></span><span class="reason" part="reason"></span></header>
<div class="log" part="log" role="log" aria-live="polite" aria-label="Conversation"></div>
<progress part="progress" max="1" aria-label="Downloading the model" hidden></progress>
<div class="error" part="error" role="alert" hidden></div>
<div class="meta" part="stats" aria-live="off"></div>
<form part="form">
  <label class="sr" for="input">Message</label>
  <textarea id="input" part="input" rows="2" placeholder="Message" aria-describedby="hint"></textarea>
  <span id="hint" class="sr">Enter sends, Shift+Enter adds a line, Escape stops the answer.</span>
  <button type="submit" class="send" part="send">Send</button>
  <button type="button" class="stop" part="stop" disabled>Stop</button>
</form>`

/** Events: `tandem-route` ({ route, reasons }), `tandem-done` ({ text, route, stopped }), `tandem-error` ({ code, message }). */
export class TandemChat extends HTMLElement {
  static observedAttributes = ['gateway', 'model', 'route', 'publishable-key', 'token-url', 'models-url']

  /** Starts the local runtime's worker (`startLocalWorker` from `@tandem/local-worker`); without it only the remote route answers. */
  worker: (() => Worker) | undefined
  /** The worker the drop-in script brings beside itself: used by elements with a `models-url` and no `worker` of their own. */
  static bundledWorker: (() => Worker) | undefined
  /** Extra request fields for every message (temperature, max_tokens, logit_bias, …). */
  requestOptions: Omit<CreateParams, 'messages' | 'stream' | 'signal'> = {}
  /** Whether the model must call a tool at the start of each answer: `auto` (default), `none`, `required`, or a tool's name. */
  toolChoice: ChatToolChoice = 'auto'

  #tandem: Tandem | undefined
  #controller: AbortController | undefined
  #tools: ChatTool[] = []
  #history: ChatMessageInput[] = []
  #stopped = false
  readonly #root: ShadowRoot
  readonly #el: {
    log: HTMLElement; route: HTMLElement; reason: HTMLElement; progress: HTMLProgressElement; error: HTMLElement
    stats: HTMLElement; input: HTMLTextAreaElement; send: HTMLButtonElement; stop: HTMLButtonElement; form: HTMLFormElement
  }

  constructor() {
    super()
    this.#root = this.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent = styles
    const body = document.createElement('template')
    body.innerHTML = template // a constant: no outside text ever reaches innerHTML
    this.#root.append(style, body.content)
    const $ = <E extends Element>(selector: string) => this.#root.querySelector<E & HTMLElement>(selector)!
    this.#el = {
      log: $('.log'), route: $('.route'), reason: $('.reason'), progress: $('progress'), error: $('.error'), stats: $('.meta'),
      input: $('textarea'), send: $('.send'), stop: $('.stop'), form: $('form'),
    }
    this.#el.form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.send(this.#el.input.value)
    })
    this.#el.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        void this.send(this.#el.input.value)
      } else if (event.key === 'Escape') this.stop()
    })
    this.#el.stop.addEventListener('click', () => this.stop())
  }

  attributeChangedCallback(_name: string, previous: string | null, next: string | null) {
    if (previous === next) return
    // What was shown came from the old settings.
    this.#showError(undefined)
    void this.#reset()
  }

  disconnectedCallback() {
    this.stop()
    void this.#reset()
  }

  /** The conversation so far. */
  get messages(): readonly ChatMessageInput[] {
    return this.#history
  }

  get busy(): boolean {
    return this.#controller !== undefined
  }

  /**
   * Tools the model may call: `{ name, description, parameters, run, timeoutMs }`. The element shows each call, runs it,
   * and continues the answer with its result. Checked when set: a bad tool throws, naming the field.
   */
  get tools(): readonly ChatTool[] {
    return this.#tools
  }

  set tools(tools: readonly ChatTool[]) {
    this.#tools = readTools(tools)
  }

  /** Forgets the conversation, and the route it took. */
  clear(): void {
    this.stop()
    this.#history = []
    this.#el.log.replaceChildren()
    this.#showError(undefined)
    this.#el.stats.textContent = ''
    this.#forgetRoute()
  }

  /** Deletes the models stored on this device for the local route and stops the worker, so the next local answer downloads again. */
  async clearCache(): Promise<void> {
    this.stop()
    const { cache } = this.#client()
    for (const stored of await cache.list()) await cache.delete(stored.model, stored.variant)
    await this.#reset()
  }

  /** Aborts the answer in progress: generation stops where it runs, and a tool call running is given up. */
  stop(): void {
    if (!this.#controller) return
    this.#stopped = true
    this.#controller.abort()
  }

  /** Where the next message would go, and why. */
  async plan(): Promise<Plan> {
    return this.#client().plan()
  }

  async send(text: string): Promise<void> {
    const content = text.trim()
    if (!content || this.busy) return
    this.#el.input.value = ''
    this.#showError(undefined)
    const start = this.#history.length
    this.#history.push({ role: 'user', content })
    this.#append('user', 'You').textContent = content
    const bubble = this.#append('assistant', 'Assistant')
    const view = new AnswerView(bubble)
    bubble.setAttribute('aria-busy', 'true')
    const controller = new AbortController()
    this.#controller = controller
    this.#setBusy(true)
    let answer = ''
    let stepText = ''
    let cut = false
    this.#stopped = false
    let chunks = 0
    let firstAt = 0
    let usageTokens: number | undefined
    try {
      const tandem = this.#client()
      const tools = this.#tools
      for (let step = 0; step < MAX_STEPS && !controller.signal.aborted; step++) {
        const request = { ...this.requestOptions, ...toolFields(tools, this.toolChoice, step), messages: [...this.#history], stream: true as const, signal: controller.signal }
        const stream = await tandem.chat.completions.create(request)
        if (tandem === this.#tandem) this.#showRoute(stream.route, stream.plan.reasons)
        this.#el.progress.hidden = true
        stepText = ''
        for await (const chunk of stream) {
          if (chunk.usage) usageTokens = (usageTokens ?? 0) + chunk.usage.completion_tokens // once per step
          const delta = chunk.choices[0]?.delta.content
          if (!delta) continue
          if (chunks++ === 0) firstAt = performance.now()
          answer += delta
          stepText += delta
          view.write(delta)
          this.#showRate(usageTokens ?? chunks, firstAt)
        }
        const [choice] = (await stream.finalCompletion()).choices
        const calls = choice?.message.tool_calls ?? []
        if (choice?.finish_reason !== 'tool_calls' || calls.length === 0) {
          cut = calls.length > 0
          break
        }
        this.#history.push({ role: 'assistant', content: stepText || null, tool_calls: calls.map(recordedCall) })
        stepText = ''
        const results = await Promise.all(
          calls.map(async (call) => {
            const block = view.toolCall(call.function.name, call.function.arguments)
            const outcome = await runToolCall(call, tools, controller.signal)
            block.settle(outcome)
            return { role: 'tool' as const, tool_call_id: call.id, content: outcome.content }
          }),
        )
        this.#history.push(...results)
      }
    } catch (error) {
      if (!this.#stopped) {
        this.#showError(error)
        if (this.#history.length === start + 1 && !answer) this.#history.length = start
      }
    } finally {
      const stopped = this.#stopped
      this.#controller = undefined
      bubble.removeAttribute('aria-busy')
      const failed = !this.#el.error.hidden
      // An answer the model ended without a word is still the assistant's turn: without it the next question would follow this one unanswered.
      if (stepText || (!failed && !stopped && !cut && this.#history.at(-1)?.role !== 'assistant')) this.#history.push({ role: 'assistant', content: stepText })
      view.paint(...(stopped ? ['stopped'] : cut ? ['The answer ended inside a tool call (max_tokens), which was not run.'] : view.empty && !failed ? ['The model gave no answer.'] : []))
      if (view.empty && failed) bubble.remove()
      if (chunks) this.#showRate(usageTokens ?? chunks, firstAt)
      this.#el.progress.hidden = true
      this.#setBusy(false)
      this.dispatchEvent(new CustomEvent('tandem-done', { detail: { text: answer, stopped } }))
    }
  }

  #client(): Tandem {
    if (this.#tandem) return this.#tandem
    const gateway = this.getAttribute('gateway')
    const key = this.getAttribute('publishable-key')
    const tokenURL = this.getAttribute('token-url')
    const route = this.getAttribute('route')
    const modelsURL = this.getAttribute('models-url')
    const worker = this.worker ?? (modelsURL ? TandemChat.bundledWorker : undefined)
    const options: TandemOptions = {
      model: this.getAttribute('model') || 'grok-2-tiny',
      route: isRouteMode(route) ? route : worker ? 'prefer-local' : 'remote-only',
    }
    if (gateway && key) options.remote = { baseURL: gateway, apiKey: key }
    else if (gateway && tokenURL) options.remote = { baseURL: gateway, getToken: ({ refresh }) => fetchToken(tokenURL, refresh) }
    if (worker) options.local = { worker, ...(modelsURL ? { modelsURL } : {}) }
    const tandem = createTandem(options)
    tandem.on('progress', (p) => {
      this.#el.progress.hidden = p.fraction >= 1 && p.stage !== 'download'
      this.#el.progress.value = p.fraction
      const stage = p.stage === 'download' ? 'Downloading' : p.stage === 'verify' ? 'Verifying' : 'Loading'
      this.#el.progress.setAttribute('aria-label', `${stage} the model`)
      this.#el.stats.textContent = `${stage} ${p.model} ${p.variant}: ${Math.round(p.fraction * 100)} %`
    })
    tandem.on('route', (change) => {
      if (tandem === this.#tandem) this.#showRoute(change.to, [`moved from ${change.from}: ${change.reason}`])
    })
    this.#tandem = tandem
    return tandem
  }

  /** A new client for new settings: the route shown was the old one's. */
  async #reset(): Promise<void> {
    const old = this.#tandem
    this.#tandem = undefined
    this.#forgetRoute()
    await old?.close()
  }

  #append(kind: 'user' | 'assistant', label: string): HTMLElement {
    const bubble = document.createElement('div')
    bubble.className = `message ${kind}`
    bubble.setAttribute('part', `message ${kind}`)
    bubble.setAttribute('aria-label', label)
    this.#el.log.append(bubble)
    bubble.scrollIntoView?.({ block: 'end' })
    return bubble
  }

  #setBusy(busy: boolean) {
    this.#el.send.disabled = busy
    this.#el.stop.disabled = !busy
    this.toggleAttribute('busy', busy)
  }

  #showRoute(route: string, reasons: readonly string[]) {
    this.#el.route.textContent = `route: ${route}`
    this.#el.reason.textContent = reasons.join(' · ')
    this.dispatchEvent(new CustomEvent('tandem-route', { detail: { route, reasons } }))
  }

  #forgetRoute() {
    this.#el.route.textContent = ''
    this.#el.reason.textContent = ''
  }

  #showRate(tokens: number, since: number) {
    const seconds = (performance.now() - since) / 1000
    this.#el.stats.textContent = seconds > 0.05 ? `${tokens} tokens · ${(tokens / seconds).toFixed(1)} tokens/s` : `${tokens} tokens`
  }

  #showError(error: unknown) {
    this.#el.error.hidden = error === undefined
    this.#el.error.textContent = error === undefined ? '' : describeError(error, this.getAttribute('gateway'))
    if (error !== undefined) {
      const detail = TandemError.isInstance(error) ? { code: error.code, message: error.message } : { code: 'unknown', message: error instanceof Error ? error.message : String(error) }
      this.dispatchEvent(new CustomEvent('tandem-error', { detail }))
    }
  }
}

function isRouteMode(value: string | null): value is RouteMode {
  return (ROUTE_MODES as readonly (string | null)[]).includes(value)
}

/** A token from the site's backend: JSON `{ token }` or the bare token as text. */
async function fetchToken(url: string, refresh: boolean): Promise<string> {
  const response = await fetch(url, { credentials: 'include', cache: refresh ? 'no-store' : 'default' })
  if (!response.ok) throw new Error(`the token URL answered ${response.status}`)
  const text = (await response.text()).trim()
  try {
    const json = JSON.parse(text) as { token?: unknown }
    if (typeof json.token === 'string') return json.token
  } catch {
    // a bare token
  }
  return text
}
