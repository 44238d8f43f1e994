import { connect, type Socket } from 'node:net'
import { monotonicClock } from '../clock.js'
import { linkTuning } from '../config.js'
import { seededRandom } from '../pacing/arrivals.js'
import { DelayLine } from './delay-line.js'
import { Direction, type DirectionContext, type Timer } from './direction.js'
import { DirectionMeter, zeroCounters } from './meter.js'
import type { LinkAddress, LinkSpec } from './types.js'

/** What every proxied connection of one link shares. */
export interface ConnectionContext extends DirectionContext {
  spec: LinkSpec
  random: () => number
  meters: { up: DirectionMeter; down: DirectionMeter }
  /** Every socket still open, so close() can end them all. */
  sockets: Set<Socket>
}

/** A new link's shared state, empty: its jitter draws seeded by `seed`, its delays kept by `timer`. */
export function newConnectionContext(spec: LinkSpec, seed: number, timer: Timer): ConnectionContext {
  return {
    spec,
    random: seededRandom(seed),
    now: () => monotonicClock.now(),
    timer,
    queueBytes: linkTuning.queueBytes,
    counters: zeroCounters(),
    meters: { up: new DirectionMeter(), down: new DirectionMeter() },
    sockets: new Set<Socket>(),
  }
}

/**
 * Proxies one accepted client connection to `target` through two directions. Both sockets
 * allow half-open, so a FIN travels one way while data still flows the other; an error on
 * one side resets the other after the data before it, and drops what was heading to the
 * side that failed.
 *
 * The handshake is emulated too: the client's connect() returns at once (the kernel accepts
 * on loopback), so its data is taken as arriving no earlier than one RTT after the accept,
 * when a real client would have had its SYN-ACK back; its first bytes reach the server after
 * RTT + delayUp, as over a real path.
 */
export function proxyConnection(client: Socket, target: LinkAddress, context: ConnectionContext): void {
  const { spec, random } = context
  const rttMs = spec.delayUpMs + spec.delayDownMs
  const acceptedMs = context.now()
  const upLine = new DelayLine(
    { delayMs: spec.delayUpMs, jitterMs: spec.jitterMs, bitsPerSec: spec.bandwidthUpBitsPerSec },
    random,
    linkTuning.segmentBytes,
    rttMs > 0 ? acceptedMs + rttMs : Number.NEGATIVE_INFINITY,
  )
  const downLine = new DelayLine(
    { delayMs: spec.delayDownMs, jitterMs: spec.jitterMs, bitsPerSec: spec.bandwidthDownBitsPerSec },
    random,
    linkTuning.segmentBytes,
  )
  const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true })
  client.setNoDelay(true)
  track(client, context.sockets)
  track(upstream, context.sockets)
  const up = new Direction(client, upstream, upLine, context.meters.up, context)
  const down = new Direction(upstream, client, downLine, context.meters.down, context)
  let connected = false
  upstream.once('connect', () => (connected = true))
  client
    .on('data', (chunk: Buffer) => up.data(chunk))
    .on('end', () => up.end())
    .on('error', () => {
      up.reset()
      down.abort()
    })
    .on('close', () => down.abort())
  upstream
    .on('data', (chunk: Buffer) => down.data(chunk))
    .on('end', () => down.end())
    .on('error', () => {
      if (!connected) context.counters.connectFailures++
      down.reset()
      up.abort()
    })
    .on('close', () => up.abort())
}

function track(socket: Socket, sockets: Set<Socket>): void {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
}
