import { useChat } from '@ai-sdk/react'
import type { TandemUIMessage } from '@tandem/ai-sdk'
import { useState } from 'react'
import { transport } from './transport.ts'

export function Chat() {
  const { messages, sendMessage, status, error, stop } = useChat<TandemUIMessage>({ transport })
  const [input, setInput] = useState('Say something.')
  const busy = status === 'submitted' || status === 'streaming'

  return (
    <main>
      {messages.map((message) => (
        <article key={message.id} className={message.role}>
          <strong>{message.role === 'user' ? 'You' : 'Tandem'}</strong>
          <p>{message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')}</p>
          {message.metadata?.tandem && <small className="route">route: {String(message.metadata.tandem.route)}</small>}
        </article>
      ))}
      {error && <p role="alert">{error.message}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void sendMessage({ text: input })
          setInput('')
        }}
      >
        <input value={input} onChange={(event) => setInput(event.target.value)} aria-label="Message" />
        {busy ? <button type="button" onClick={() => void stop()}>Stop</button> : <button disabled={!input.trim()}>Send</button>}
      </form>
    </main>
  )
}
