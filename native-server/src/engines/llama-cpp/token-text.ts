/**
 * Generated tokens to text, never splitting a UTF-8 character: bytes of a character that is not
 * complete yet wait for the next token, and bytes that can never form one become U+FFFD (random
 * weights emit such bytes all the time). `end()` releases what is left.
 */
export class TokenTextDecoder<T = number> {
  readonly #decoder = new TextDecoder('utf-8')

  readonly #bytesOf: (token: T) => Uint8Array

  constructor(bytesOf: (token: T) => Uint8Array) {
    this.#bytesOf = bytesOf
  }

  push(token: T): string {
    return this.#decoder.decode(this.#bytesOf(token), { stream: true })
  }

  end(): string {
    return this.#decoder.decode()
  }
}
