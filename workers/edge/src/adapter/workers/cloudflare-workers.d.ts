// The few Workers runtime types the gateway uses, declared here rather than pulling in
// @cloudflare/workers-types, whose globals clash with the DOM lib the app is typed against.

declare module 'cloudflare:workers' {
  export interface SqlStorageCursor<T> {
    toArray(): T[]
  }

  export interface SqlStorage {
    exec<T = Record<string, unknown>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>
  }

  export interface DurableObjectState {
    readonly storage: { readonly sql: SqlStorage }
  }

  /** Extending it makes a Durable Object's public methods callable over RPC. */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState
    protected readonly env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }
}
