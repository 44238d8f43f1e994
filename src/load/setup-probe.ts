import type { Socket } from 'node:net'
import { Scheduler } from '../client/scheduler.js'
import type { ServerAccess } from '../client/server-access.js'
import { Wire } from '../client/wire.js'
import { monotonicClock } from '../clock.js'
import { generatorTuning } from '../config.js'
import { pollGapMs, settingsOf } from '../transports/setting-values.js'
import type { ClientContext, Transport, TransportSettings } from '../transports/types.js'
import { openPostSender } from './post-sender.js'

/** What it cost one receiver to get ready, from the moment it started connecting. */
export interface SetupSample {
  /** Connect (a SYN on a real network) to the first byte of the server's first answer, ms. */
  ms: number
  /** Bytes both ways on its connection until then: TCP payload, TLS records and HTTP included. */
  bytes: number
}

/** One wire per probe: it notes when the first answer arrives and what had crossed by then. */
class ReadyWire extends Wire {
  private resolveReady: (sample: { atMs: number; bytes: number }) => void = () => {}
  readonly ready = new Promise<{ atMs: number; bytes: number }>((resolve) => (this.resolveReady = resolve))

  override reading(socket: Socket): void {
    socket.once('data', () => {
      const { bytesUp, bytesDown } = this.snapshot()
      this.resolveReady({ atMs: monotonicClock.now(), bytes: bytesUp + bytesDown })
    })
  }
}

export interface SetupProbePlan {
  transport: Transport
  settings: TransportSettings
  origin: string
  access?: ServerAccess
  runId: string
}

/**
 * Opens `count` receivers of the row's transport one after another, each on its own connection and
 * named apart from the run's users, and times each from the start of its connect to the first
 * byte of the server's first answer: the WebSocket 101, the SSE response headers, the first poll's
 * answer. So that a long poll is answered at once rather than after its hold, a message to the
 * receiver leaves (from a sender connected beforehand) as the receiver starts connecting: it is
 * at the server before the poll, as on any path. A short-poll receiver's first poll is set 2 ms
 * after its open, counted in. Over TLS the handshake is inside the figure. Each probe is given up
 * after generatorTuning.setupProbeTimeoutMs; the samples are those that got ready.
 */
export async function probeSetup(plan: SetupProbePlan, count: number): Promise<SetupSample[]> {
  const scheduler = new Scheduler()
  const errors: unknown[] = []
  const context = (user: string, wire: Wire): ClientContext => ({
    origin: plan.origin,
    ...(plan.access ? { access: plan.access } : {}),
    user,
    wire,
    scheduler,
    now: () => monotonicClock.now(),
    settings: settingsOf(plan.transport, plan.settings),
    onError: (err) => errors.push(err),
  })
  const sender = await openPostSender(context(`${plan.runId}-setup-a`, new Wire()))
  const periodMs = pollGapMs(plan.transport, plan.settings)
  try {
    const probe = async (i: number): Promise<SetupSample | undefined> => {
      const user = `${plan.runId}-setup-${i}`
      const wire = new ReadyWire()
      const ctx = context(user, wire)
      const startMs = monotonicClock.now()
      if (periodMs > 0) ctx.phase = ((startMs + 2) % periodMs) / periodMs
      sender.send({ to: user }, 'setup')
      const opening = plan.transport.openReceiver(ctx, () => {})
      const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), generatorTuning.setupProbeTimeoutMs).unref())
      const ready = await Promise.race([wire.ready, timeout])
      await opening.then((receiver) => receiver.close()).catch(() => undefined)
      return ready === undefined ? undefined : { ms: ready.atMs - startMs, bytes: ready.bytes }
    }
    // One after another: side by side, their handshakes' CPU would queue and count in each other's time.
    const samples: SetupSample[] = []
    for (let i = 0; i < count; i++) {
      const sample = await probe(i)
      if (sample !== undefined) samples.push(sample)
    }
    return samples
  } finally {
    scheduler.stop()
    await sender.close().catch(() => undefined)
  }
}

/** A row's set-up figures: medians over the probes; NaN when none got ready. */
export interface SetupFigures {
  setupP50Ms: number
  setupBytes: number
}

export async function measureSetup(plan: SetupProbePlan): Promise<SetupFigures | Record<string, never>> {
  // Over HTTP/2 the session reads its socket natively, with no 'data' event to time the first
  // answer by: such rows carry no set-up figure rather than a probe that waits out its timeout.
  if (plan.access?.http2 === true) return {}
  const samples = await probeSetup(plan, generatorTuning.setupProbes)
  return { setupP50Ms: medianOf(samples.map((s) => s.ms)), setupBytes: medianOf(samples.map((s) => s.bytes)) }
}

function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
