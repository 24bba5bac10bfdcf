import { createTandem } from '@tandem/sdk'
import { startLocalWorker } from '@tandem/local-worker'

// The model runs in a Web Worker on this device when it can hold it; with a gateway set, it answers through it otherwise.
const gateway = import.meta.env.VITE_TANDEM_GATEWAY
const publishableKey = import.meta.env.VITE_TANDEM_PUBLISHABLE_KEY
const tandem = createTandem({
  model: 'grok-2-tiny',
  route: gateway ? 'prefer-local' : 'local-only',
  local: { worker: startLocalWorker, modelsURL: import.meta.env.VITE_TANDEM_MODELS_URL ?? '/models/' },
  ...(gateway && publishableKey ? { remote: { baseURL: gateway, apiKey: publishableKey } } : {}),
})

const form = document.querySelector<HTMLFormElement>('#ask')!
const question = document.querySelector<HTMLInputElement>('#question')!
const route = document.querySelector<HTMLOutputElement>('#route')!
const answer = document.querySelector<HTMLParagraphElement>('#answer')!
const ask = form.querySelector('button')!

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  answer.textContent = ''
  ask.disabled = true
  try {
    const stream = await tandem.chat.completions.create({ messages: [{ role: 'user', content: question.value }], stream: true })
    route.value = stream.route
    for await (const chunk of stream) answer.textContent += chunk.choices[0]?.delta.content ?? ''
  } catch (error) {
    answer.textContent = `Failed: ${(error as Error).message}`
  } finally {
    ask.disabled = false
  }
})
