// Resident memory of processes, read from /proc (Linux), and the processes a test started.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

export interface ProcessInfo {
  readonly pid: number
  /** The executable's short name, as /proc/PID/stat has it (`workerd`, `node`). */
  readonly name: string
}

function stat(pid: number): { name: string; parent: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The name is in parentheses and may hold spaces or parentheses itself: the state and parent follow the last ')'.
    const close = text.lastIndexOf(')')
    const [, parent] = text.slice(close + 2).split(' ')
    return { name: text.slice(text.indexOf('(') + 1, close), parent: Number(parent) }
  } catch {
    return undefined // gone
  }
}

/** Every live process below `root` (children, their children, …). */
export function descendants(root: number = process.pid): ProcessInfo[] {
  const parents = new Map<number, ProcessInfo[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    const info = stat(pid)
    if (info === undefined) continue
    parents.set(info.parent, [...(parents.get(info.parent) ?? []), { pid, name: info.name }])
  }
  const found: ProcessInfo[] = []
  const queue = [root]
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child)
      queue.push(child.pid)
    }
  }
  return found
}

/** Resident set size in bytes (VmRSS), or undefined when the process is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

/** The TCP ports `pid` listens on (IPv4), from its socket descriptors and /proc/net/tcp. */
export function listeningPorts(pid: number): number[] {
  let inodes: Set<string>
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        const match = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))
        return match ? [match[1]!] : []
      }),
    )
  } catch {
    return [] // gone
  }
  // Columns: sl local_address rem_address st … inode; state 0A is LISTEN.
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns[3] === '0A' && inodes.has(columns[9]!))
    .map((columns) => Number.parseInt(columns[1]!.split(':')[1]!, 16))
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path)
  } catch {
    return ''
  }
}
