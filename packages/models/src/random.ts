/**
 * A seeded generator of weights that gives the same numbers on every JavaScript engine:
 * sfc32 for uniform integers, and an Irwin–Hall sum for near-normal values, because
 * Math.log and Math.cos (Box–Muller) may round differently between engines.
 */
export function seededRandom(seed: number) {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 15; i++) next()

  return {
    /** Uniform in [0, 1). */
    uniform: next,
    /** Mean 0, standard deviation `std`, bounded at ±3.46 std. */
    normal(std: number): number {
      return (next() + next() + next() + next() - 2) * Math.sqrt(3) * std
    },
  }
}
