/** What native-server itself answers to `params`, not streamed: the text an SDK stream of the same request must equal. */
export async function serverText(serverUrl: string, params: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${serverUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, stream: false }),
  })
  if (!response.ok) throw new Error(`native-server answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content
}
