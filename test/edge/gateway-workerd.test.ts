// The Workers entry in workerd (wrangler's unstable_startWorker), Durable Objects in Miniflare.
import { gatewaySuite } from './gateway-suite.ts'
import { startWorkerdGateway } from './harness.ts'

// Locally, requests reach the worker through wrangler's ProxyWorker, which now and then does not pass
// a client's disconnect on (about 1 in 10 here: the worker never learns of it). Deployed there is no
// such proxy, so the abort test allows that many tries here; the Node entry gets one.
gatewaySuite({ runtime: 'workerd', start: startWorkerdGateway, abortTries: 3 })
