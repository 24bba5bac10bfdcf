import { describe, expect, it } from 'vitest'
import { modelListSchema } from './models-list.ts'

describe('modelListSchema', () => {
  it('reads the /v1/models list', () => {
    const list = {
      object: 'list',
      data: [
        { id: 'grok-2-tiny', object: 'model', created: 1_732_886_400, owned_by: 'tandem' },
        { id: 'grok-2', object: 'model', created: 1_724_000_000, owned_by: 'xai-org' },
      ],
    }
    expect(modelListSchema.parse(list)).toEqual(list)
    expect(modelListSchema.parse({ object: 'list', data: [] }).data).toEqual([])
  })

  it('strips server extras and rejects a wrong shape', () => {
    const llama = { object: 'list', data: [{ id: 'm', object: 'model', created: 1, owned_by: 'llamacpp', meta: { n_ctx_train: 4096 } }] }
    expect(modelListSchema.parse(llama).data[0]).toEqual({ id: 'm', object: 'model', created: 1, owned_by: 'llamacpp' })
    expect(modelListSchema.safeParse({ object: 'list', data: [{ id: 'm' }] }).success).toBe(false)
  })
})
