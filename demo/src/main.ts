/// <reference lib="dom" />
/// <reference types="vite/client" />
// The demo around <tandem-chat>: settings (route mode, model, the define_word tool, clear the cache), the planner's plan
// explained, and a service worker so the app reopens offline.
import type { Plan } from '@tandem/sdk'
import type { TandemChat } from '@tandem/chat-element'
import '@tandem/chat-element'
import { startLocalWorker } from '@tandem/local-worker'
import { WORDS, defineWord } from './define-word.ts'

/** The stack's settings, written by `npm start` (scripts/demo-server.ts); cached by the service worker for offline use. */
interface Settings {
  gateway?: string
  model?: string
  publishableKey?: string
}

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E
const chat = $<TandemChat>('chat')
const route = $<HTMLSelectElement>('route')
const model = $<HTMLInputElement>('model')
const tool = $<HTMLSelectElement>('tool')
const planOut = $('plan')
/** Counts what makes a plan stale (settings, a new conversation, a cleared cache), so a plan asked for before is not shown after. */
let planEpoch = 0

const saved = JSON.parse(localStorage.getItem('tandem-demo') ?? '{}') as { route?: string; model?: string; tool?: string }
const settings: Settings = await fetch('/tandem.json').then((r) => (r.ok ? (r.json() as Promise<Settings>) : {}), () => ({}))

chat.worker = startLocalWorker
// A tiny model reads best a little cooler than the API's default temperature of 1.
chat.requestOptions = { temperature: 0.7, max_tokens: 256 }
if (settings.gateway) chat.setAttribute('gateway', settings.gateway)
if (settings.publishableKey) chat.setAttribute('publishable-key', settings.publishableKey)
route.value = saved.route ?? 'prefer-local'
model.value = saved.model ?? settings.model ?? 'grok-2-tiny'
tool.value = saved.tool ?? 'auto'
$('word-count').textContent = String(WORDS.length)
$('words').textContent = WORDS.join(', ')
apply()

route.addEventListener('change', apply)
model.addEventListener('change', apply)
tool.addEventListener('change', applyTool)
$('explain').addEventListener('click', () => void explain())
$('clear-chat').addEventListener('click', () => {
  chat.clear()
  forgetPlan()
})
$('clear-cache').addEventListener('click', () => void clearCache())
chat.addEventListener('tandem-route', () => void explain())

function apply() {
  chat.setAttribute('route', route.value)
  chat.setAttribute('model', model.value.trim() || 'grok-2-tiny')
  applyTool()
  forgetPlan()
}

/** The tool the model is offered: called when it chooses (`auto`; the trained tiny model does for "What does … mean?"), forced on every question, or none. */
function applyTool() {
  chat.tools = tool.value === 'off' ? [] : [defineWord]
  chat.toolChoice = tool.value === 'forced' ? defineWord.name : 'auto'
  localStorage.setItem('tandem-demo', JSON.stringify({ route: route.value, model: model.value, tool: tool.value }))
}

function forgetPlan(text = '') {
  planEpoch++
  planOut.textContent = text
}

async function explain() {
  const epoch = planEpoch
  try {
    const plan = await chat.plan()
    if (epoch === planEpoch) showPlan(plan)
  } catch (error) {
    if (epoch === planEpoch) planOut.textContent = `No plan: ${(error as Error).message}`
  }
}

function showPlan(plan: Plan) {
  const title = document.createElement('strong')
  title.textContent = plan.route === 'none' ? 'No route can answer' : `Next answer: ${plan.route}${plan.local ? ` (${plan.local.variant} on ${plan.local.backend}${plan.local.cached ? ', cached' : ''})` : ''}`
  const reasons = document.createElement('ul')
  for (const reason of plan.reasons) reasons.appendChild(document.createElement('li')).textContent = reason
  planOut.replaceChildren(title, reasons)
}

async function clearCache() {
  forgetPlan()
  try {
    await chat.clearCache()
    forgetPlan('The model cache is empty.')
  } catch (error) {
    forgetPlan(`Could not clear the cache: ${(error as Error).message}`)
  }
}

function showOnline() {
  $('online').textContent = navigator.onLine ? '● online' : '○ offline: only a cached model can answer'
}
addEventListener('online', showOnline)
addEventListener('offline', showOnline)
showOnline()

if ('serviceWorker' in navigator) await navigator.serviceWorker.register('/sw.js', { type: 'module' }).catch(() => {})
document.documentElement.dataset.ready = 'true'
