/** The credential of an `Authorization: Bearer …` header (the scheme in any case, as RFC 9110 has it); undefined for anything else. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
}
