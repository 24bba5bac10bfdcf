const units = ['B', 'KB', 'MB', 'GB'] as const

/** Sizes as a person reads them: binary GiB for memory-sized numbers, decimal MB below. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) {
    const gib = bytes / 2 ** 30
    return `${gib >= 10 ? Math.round(gib) : gib.toFixed(1)} GiB`
  }
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
