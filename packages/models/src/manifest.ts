import { z } from 'zod'

/** What a client needs to fetch and trust a model's files: each shard's name, size and SHA-256. */
export const manifestSchema = z.object({
  model: z.string().min(1),
  /** Identifies the recipe that made the files, so a stale local build can be told apart. */
  build: z.string().min(1),
  variants: z
    .array(
      z.object({
        id: z.string().min(1),
        format: z.enum(['gguf', 'mlc']),
        files: z
          .array(
            z.object({
              name: z.string().regex(/^[\w.-]+$/, 'a plain file name'),
              bytes: z.number().int().nonnegative(),
              sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
            }),
          )
          .min(1)
          .superRefine((files, ctx) => {
            const twice = files.find((file, i) => files.findIndex((f) => f.name === file.name) !== i)
            if (twice) ctx.addIssue({ code: 'custom', message: `names the shard "${twice.name}" twice` })
          }),
      }),
    )
    .min(1)
    .superRefine((variants, ctx) => {
      const twice = variants.find((variant, i) => variants.findIndex((v) => v.id === variant.id) !== i)
      if (twice) ctx.addIssue({ code: 'custom', message: `lists the variant "${twice.id}" twice` })
    }),
})

export type Manifest = z.infer<typeof manifestSchema>
export type ManifestFile = Manifest['variants'][number]['files'][number]

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function describeFile(name: string, bytes: Uint8Array): Promise<ManifestFile> {
  return { name, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }
}

/** True when `bytes` are the file the manifest entry describes. */
export async function verifyFile(entry: ManifestFile, bytes: Uint8Array): Promise<boolean> {
  return bytes.byteLength === entry.bytes && (await sha256Hex(bytes)) === entry.sha256
}
