// The SDK's public surface, pinned: an export added here is a promise to users, so it is added on
// purpose (and to this list), never by re-exporting an internal such as a transport or failover.
import { describe, expect, it } from 'vitest'
import * as sdk from './index.ts'

describe('@tandem/sdk', () => {
  it('exports what users need and no internals', () => {
    expect(Object.keys(sdk).sort()).toEqual(['ChatStream', 'HEADLESS_DEVICE', 'ROUTE_MODES', 'TandemError', 'createTandem', 'loadDeviceProfile', 'planRoute', 'probeDevice'])
  })

  it('lists the four route modes, prefer-local first (the default)', () => {
    expect(sdk.ROUTE_MODES).toEqual(['prefer-local', 'local-only', 'prefer-remote', 'remote-only'])
  })
})
