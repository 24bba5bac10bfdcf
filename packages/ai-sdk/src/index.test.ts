// The public surface, pinned: an export added here is a promise to users.
import { describe, expect, it } from 'vitest'
import * as aiSdk from './index.ts'

describe('@tandem/ai-sdk', () => {
  it('exports the provider, the model class and the chat transport, nothing internal', () => {
    expect(Object.keys(aiSdk).sort()).toEqual(['TandemChatTransport', 'TandemLanguageModel', 'createTandemProvider'])
  })
})
