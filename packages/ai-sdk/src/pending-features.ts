import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider'

/**
 * Tools and structured output, which Tandem's routes do not serve yet. Until they do, a call that asks
 * for them is answered as plain text and warns here, the one place to wire them when the protocol has them.
 */
export function pendingFeatureWarnings({ tools, toolChoice, responseFormat }: LanguageModelV4CallOptions): SharedV4Warning[] {
  const warnings: SharedV4Warning[] = []
  if (tools?.length) warnings.push({ type: 'unsupported', feature: 'tools', details: 'Tandem does not call tools yet; the model answers in text' })
  if (toolChoice && toolChoice.type !== 'auto' && toolChoice.type !== 'none') warnings.push({ type: 'unsupported', feature: 'toolChoice' })
  if (responseFormat?.type === 'json') warnings.push({ type: 'unsupported', feature: 'responseFormat', details: 'Tandem does not constrain output to JSON yet; the model answers in text' })
  return warnings
}
