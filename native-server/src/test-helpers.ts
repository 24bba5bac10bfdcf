// Shared by the tests beside the modules, never by the server itself.

/**
 * `logit_bias` that keeps the tiny Grok-2's output in ASCII: byte b is token b, and 128–255 are
 * pushed away. Greedy with it, the tiny model runs on for thousands of tokens without ending its turn.
 */
export const ASCII_ONLY: Record<string, number> = Object.fromEntries(Array.from({ length: 128 }, (_, i) => [String(128 + i), -100]))
