/** A Durable Object namespace binding, as far as the gateway uses one: stubs by name, RPC methods as promises. */
export interface DurableObjectNamespace<Stub> {
  idFromName(name: string): unknown
  get(id: unknown): Stub
}

/** The third argument of a Workers fetch handler; Hono's ExecutionContext is the same shape. */
export interface WorkersExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
  readonly props: unknown
}
