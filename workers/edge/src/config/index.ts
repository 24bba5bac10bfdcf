export { defaultLimits, parseGatewayConfig } from './gateway-config.ts'
export type {
  GatewayConfig,
  Limits,
  LogLevel,
  PublishableKeyConfig,
  RateLimits,
  SecretKeyConfig,
  UpstreamConfig,
} from './gateway-config.ts'
export type { GatewayEnvInput } from './config-schema.ts'
