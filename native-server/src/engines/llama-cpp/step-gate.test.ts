import { describe, expect, it } from 'vitest'
import { StepGate } from './step-gate.ts'

const settled = async (promise: Promise<unknown>) => {
  let done = false
  void promise.then(() => (done = true))
  await new Promise((resolve) => setImmediate(resolve))
  return done
}

describe('StepGate', () => {
  it('lets a lone member step at once', async () => {
    const gate = new StepGate()
    const member = gate.join()
    expect(await settled(member.step())).toBe(true)
  })

  it('releases members together once all of them wait', async () => {
    const gate = new StepGate()
    const a = gate.join()
    const b = gate.join()
    const aStep = a.step()
    expect(await settled(aStep)).toBe(false)
    const bStep = b.step()
    expect(await settled(aStep)).toBe(true)
    expect(await settled(bStep)).toBe(true)
    expect([gate.steps, gate.sequencesStepped]).toEqual([1, 2])
  })

  it('stops waiting for a member that leaves', async () => {
    const gate = new StepGate()
    const a = gate.join()
    const b = gate.join()
    const aStep = a.step()
    b.leave()
    b.leave() // twice is once
    expect(gate.size).toBe(1)
    expect(await settled(aStep)).toBe(true)
    expect(await settled(b.step())).toBe(true)
  })

  it('makes a newcomer wait for the current step, then step with the others', async () => {
    const gate = new StepGate()
    const a = gate.join()
    await a.step()
    const b = gate.join()
    const bStep = b.step()
    expect(await settled(bStep)).toBe(false)
    const aStep = a.step()
    expect(await settled(bStep)).toBe(true)
    expect(await settled(aStep)).toBe(true)
  })
})
