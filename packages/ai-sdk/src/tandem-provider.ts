import { NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider'
import { findModel } from '@tandem/models'
import { createTandem, type Tandem, type TandemOptions } from '@tandem/sdk'
import { TandemLanguageModel } from './language-model.ts'

export interface TandemProvider extends ProviderV4 {
  /** `tandem('grok-2-tiny')`: the model, planned per call onto this device or the gateway. */
  (modelId: string): TandemLanguageModel
  languageModel(modelId: string): TandemLanguageModel
  /** The client underneath: its `plan()`, `cache`, `on('progress' | 'route')` and `close()`. */
  readonly client: Tandem
}

/**
 * An AI SDK provider over one Tandem client, made from the same options as `createTandem` (checked
 * there, with errors that name the option). Every model of the provider shares the client, its
 * local worker and its gateway credential.
 */
export function createTandemProvider(options: TandemOptions): TandemProvider {
  const client = createTandem(options)
  const url = options.remote ? `${options.remote.baseURL.replace(/\/$/, '')}/chat/completions` : 'tandem:local'

  function languageModel(modelId: string): TandemLanguageModel {
    // Without a gateway only the catalog's models can run (on this device); with one, the gateway's list decides per call.
    if (!options.remote && !findModel(modelId)) {
      throw new NoSuchModelError({ modelId, modelType: 'languageModel', message: `no route can serve ${modelId}: the catalog does not know it and no gateway is configured (options.remote)` })
    }
    return new TandemLanguageModel(modelId, { tandem: client, url })
  }

  const noSuch = (modelType: 'embeddingModel' | 'imageModel') => (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType, message: `Tandem serves language models only, not ${modelType}s` })
  }

  return Object.assign((modelId: string) => languageModel(modelId), {
    specificationVersion: 'v4' as const,
    languageModel,
    embeddingModel: noSuch('embeddingModel'),
    imageModel: noSuch('imageModel'),
    client,
  })
}
