/** The models folder in the origin private file system: `tandem-models/<model>/<variant>/<shard>`. */
const ROOT = 'tandem-models'

export async function modelsRoot(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true })
}

export async function folder(parent: FileSystemDirectoryHandle, name: string, create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
  try {
    return await parent.getDirectoryHandle(name, { create })
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export async function fileIn(parent: FileSystemDirectoryHandle, name: string): Promise<File | undefined> {
  try {
    return await (await parent.getFileHandle(name)).getFile()
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export async function remove(parent: FileSystemDirectoryHandle, name: string): Promise<void> {
  try {
    await parent.removeEntry(name, { recursive: true })
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
}

export async function entries(parent: FileSystemDirectoryHandle): Promise<Array<[string, FileSystemHandle]>> {
  const found: Array<[string, FileSystemHandle]> = []
  for await (const entry of parent.entries()) found.push(entry)
  return found
}

function isNotFound(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError')
}
