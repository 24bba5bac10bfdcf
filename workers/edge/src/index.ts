export { createGateway } from './gateway.ts'
export type { GatewayOptions } from './gateway.ts'
export { gatewayForEnv } from './gateway-for-env.ts'
export type { GatewayApp, GatewayForEnvOptions } from './gateway-for-env.ts'

export { defaultLimits, parseGatewayConfig } from './config/index.ts'
export type { GatewayConfig, GatewayEnvInput, Limits, LogLevel, PublishableKeyConfig, SecretKeyConfig, UpstreamConfig } from './config/index.ts'

export { authenticate, keyDigest, MAX_TOKEN_SECONDS, mintToken, verifyToken } from './auth/index.ts'
export type { MintedToken, Principal, PrincipalKind, TokenRequest } from './auth/index.ts'

export { MemoryRateLimiter, SlidingWindow } from './limits/index.ts'
export type { Cost, LimitSnapshot, RateDecision, RateLimiter } from './limits/index.ts'

export { webFetch } from './upstreams/upstream-fetch.ts'
export type { UpstreamFetch, UpstreamRequest, UpstreamResponse } from './upstreams/upstream-fetch.ts'

export { createJsonLogger } from '@tandem/protocol'
export type { LogFields, Logger } from '@tandem/protocol'
