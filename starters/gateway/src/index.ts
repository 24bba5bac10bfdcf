// Tandem's gateway, as published: the Workers entry and the Durable Object that holds each key's rate-limit window.
export { default, RateLimiterObject } from '@tandem/edge/worker'
