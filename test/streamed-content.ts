/** Minimal shape of an OpenAI-style chunk stream: the `openai` client's, or the SDK's. */
type ContentChunks = AsyncIterable<{ choices: Array<{ delta: { content?: string | null } }> }>

/** Reads a chat stream to its end: the text it carried, and how many chunks carried some. */
export async function streamedContent(stream: ContentChunks): Promise<{ text: string; pieces: number }> {
  let text = ''
  let pieces = 0
  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.delta.content
    if (!piece) continue
    text += piece
    pieces++
  }
  return { text, pieces }
}
