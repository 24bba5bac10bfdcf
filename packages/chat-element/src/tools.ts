// The tools a page gives <tandem-chat>: what the request offers the model, and running one call the model made.
import { functionToolSchema, parseWith, type FunctionTool, type ToolCall, type ToolChoice } from '@tandem/protocol'
import { TandemError } from '@tandem/sdk'
import { z } from 'zod'

/** A tool the model may call; `run` gets the parsed arguments and answers with text or any JSON-able value. */
export interface ChatTool {
  name: string
  description?: string
  /** A JSON Schema for an object, of the subset Tandem supports: the model's arguments are generated under it. */
  parameters?: FunctionTool['function']['parameters']
  run(args: never, context: { signal: AbortSignal }): unknown
  /** How long a call may take before it is given up as an error; default {@link TOOL_TIMEOUT_MS}. */
  timeoutMs?: number
}

/** `auto` lets the model choose; `required` or a tool's name forces a call, in the first step of each answer only. */
export type ChatToolChoice = 'auto' | 'none' | 'required' | (string & {})

/** Requests to the model per answer: up to three rounds of calls, and the last request may not call (`tool_choice: 'none'`). */
export const MAX_STEPS = 4
export const TOOL_TIMEOUT_MS = 30_000

const elementFields = z.object({
  run: z.custom<ChatTool['run']>((value) => typeof value === 'function', 'expected a function'),
  timeoutMs: z.number().positive().optional(),
})

/** Checks the tools a page sets, naming the field at fault (`tools[0].parameters.type: …`). */
export function readTools(input: unknown): ChatTool[] {
  if (!Array.isArray(input)) throw new TandemError('invalid_request', 'tools: expected an array of { name, description, parameters, run }', { param: 'tools' })
  const names = new Set<string>()
  return input.map((tool: Partial<ChatTool>, index) => {
    const at = `tools[${index}]`
    const own = parseWith(elementFields, tool, at)
    const { name, description, parameters } = tool ?? {}
    const wire = parseWith(functionToolSchema, { type: 'function', function: { name, description, parameters } }, at)
    const problem = !own.ok ? own.error : !wire.ok ? wire.error : undefined
    if (problem) throw new TandemError('invalid_request', `${at}.${problem.message.replace(/^function\./, '')}`, { param: at })
    if (names.has(name!)) throw new TandemError('invalid_request', `${at}.name: "${name}" is already a tool's name`, { param: `${at}.name` })
    names.add(name!)
    return tool as ChatTool
  })
}

/** The request's `tools` and `tool_choice` for one step of an answer. */
export function toolFields(tools: readonly ChatTool[], choice: ChatToolChoice, step: number): { tools?: FunctionTool[]; tool_choice?: ToolChoice } {
  if (tools.length === 0) return {}
  const wanted = step === MAX_STEPS - 1 ? 'none' : step > 0 && choice !== 'none' ? 'auto' : choice
  return {
    tools: tools.map(({ name, description, parameters }) => ({ type: 'function', function: { name, ...(description ? { description } : {}), ...(parameters ? { parameters } : {}) } })),
    tool_choice: ['auto', 'none', 'required'].includes(wanted) ? (wanted as ToolChoice) : { type: 'function', function: { name: wanted } },
  }
}

/** What a call came to: `content` goes back to the model as the tool message, `error` is shown to the person. */
export type ToolOutcome = { ok: true; content: string } | { ok: false; error: string; content: string }

/**
 * Runs one call. Never throws: an unknown tool, arguments that are not a JSON object, a `run` that throws,
 * times out or is stopped all come back as an error, whose content for the model is `{"error":"…"}`.
 * A stop or a timeout ends the wait at once, even when `run` ignores its signal.
 */
export async function runToolCall(call: ToolCall, tools: readonly ChatTool[], signal: AbortSignal): Promise<ToolOutcome> {
  const tool = tools.find((candidate) => candidate.name === call.function.name)
  if (!tool) return failed(`there is no tool named "${call.function.name}"`)
  const args = parseArguments(call.function.arguments)
  if (args === undefined) return failed(`the arguments are not a JSON object: ${call.function.arguments.slice(0, 200)}`)
  const limitMs = tool.timeoutMs ?? TOOL_TIMEOUT_MS
  const limit = AbortSignal.any([signal, AbortSignal.timeout(limitMs)])
  try {
    const value = await Promise.race([Promise.resolve().then(() => tool.run(args as never, { signal: limit })), rejectOnAbort(limit)])
    return { ok: true, content: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') }
  } catch (error) {
    if (signal.aborted) return failed('stopped')
    if (limit.aborted) return failed(`timed out after ${limitMs / 1000} s`)
    return failed(error instanceof Error ? error.message : String(error))
  }
}

/** The call as the conversation keeps it: arguments that do not parse become `{}` (the request would be refused), the error saying what they were. */
export function recordedCall(call: ToolCall): ToolCall {
  return parseArguments(call.function.arguments) === undefined ? { ...call, function: { ...call.function, arguments: '{}' } } : call
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function failed(error: string): ToolOutcome {
  return { ok: false, error, content: JSON.stringify({ error }) }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
