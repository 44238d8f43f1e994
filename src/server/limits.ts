import { serverDefaults } from '../config.js'

/** Bounds the server enforces; each has a default in config.ts and a clear answer when hit. */
export interface ServerLimits {
  bodyLimitBytes: number
  mailboxMaxMessages: number
  mailboxMaxBytes: number
  resumeWindowMs: number
  longPollDefaultTimeoutMs: number
  longPollMaxTimeoutMs: number
  longPollMaxParked: number
  slowConsumerMaxBufferedBytes: number
  wsMaxPayloadBytes: number
  maxHeaderBytes: number
  headersTimeoutMs: number
  bodyTimeoutMs: number
  headersCheckIntervalMs: number
  maxConnections: number
  maxStreamsPerUser: number
  heartbeatMs: number
}

export const defaultLimits: ServerLimits = { ...serverDefaults }
