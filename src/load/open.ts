import { openBrowserClients, type BrowserClients } from '../browser/session.js'
import { loopbackPath, type SilencePolicy } from '../client/silence.js'
import { monotonicClock } from '../clock.js'
import type { BrowserFacts } from '../metrics/load-result.js'
import { pollPhase } from '../pacing/poll-phases.js'
import { groupsOpened } from '../pacing/ramps.js'
import { pollGapMs, settingsOf } from '../transports/setting-values.js'
import type { ClientContext, Receiver, Transport } from '../transports/types.js'
import type { Instruments } from './instruments.js'
import { decodeMessage } from './message.js'
import { sizeOf, type LoadPart } from './partition.js'
import type { LoadPlan } from './plan.js'
import { openPopulation, type Deliver, type Deliveries, type Openers, type Population } from './population.js'
import { openPostSender } from './post-sender.js'
import type { Role, SetupWatch } from './setup-failures.js'

/** The users of one process, and with browser receivers, what the browser says of itself. */
export interface Users extends Population {
  browser?: () => BrowserFacts
}

/**
 * Opens this process's share of the users (every receiver, then every sender) through the
 * plan's transport; each receipt is scored by the recorder on the run's clock. With
 * `plan.browser`, the receivers are pages of a headless Chromium instead of Node clients.
 */
export async function openUsers(plan: LoadPlan, part: LoadPart, instruments: Instruments, watch?: SetupWatch): Promise<Users> {
  const receiversPerGroup = plan.receivers ?? 1
  const shape = {
    groups: sizeOf(part.groups),
    receiversPerGroup,
    idleReceivers: sizeOf(part.idle),
    firstGroup: part.groups.from,
    firstIdle: part.idle.from,
  }
  // The part's receivers are numbered from its first group's, as in a single-process run.
  const firstReceiver = part.groups.from * receiversPerGroup
  const browser = plan.browser
    ? await openBrowserClients({
        transport: plan.transport,
        origin: plan.origin,
        ...(plan.access?.ca !== undefined ? { ca: plan.access.ca } : {}),
        wire: instruments.wires.receive,
        clock: instruments.clock,
        ...(instruments.clock === monotonicClock ? { clockEpochMs: performance.timeOrigin } : {}),
        options: plan.browser,
      })
    : undefined
  try {
    const users = await openPopulation(
      shape,
      openersOf(plan, instruments, firstReceiver, browser, watch),
      deliveriesOf(instruments, firstReceiver),
    )
    if (browser === undefined) return users
    return {
      ...users,
      close: async () => {
        await users.close()
        await browser.close()
      },
      browser: () => browser.facts(),
    }
  } catch (err) {
    await browser?.close()
    throw err
  }
}

function openersOf(
  plan: LoadPlan,
  instruments: Instruments,
  firstReceiver: number,
  browser: BrowserClients | undefined,
  watch: SetupWatch | undefined,
): Openers {
  const { wires, errors, scheduler } = instruments
  const idOf = (name: string): string => `${plan.runId}-${name}`
  let receivers = firstReceiver
  const settings = settingsOf(plan.transport, plan.settings)
  const phases = {
    arrival: plan.arrival,
    groups: groupsOpened(plan),
    receiversPerGroup: plan.receivers ?? 1,
    pollPeriodMs: pollGapMs(plan.transport, plan.settings),
  }
  // Every failure is counted; until the window opens, the watch also notes who was refused.
  const watched =
    (count: (err: unknown) => void, role: Role, name: string) =>
    (err: unknown): void => {
      count(err)
      watch?.note(role, name, err)
    }
  const context = (role: 'a' | 'b', name: string): ClientContext => ({
    // The poll-to-send offsets are spread evenly, whatever the senders' stagger (poll-phases.ts).
    ...(role === 'b' ? { phase: pollPhase(phases, receivers), silence: silenceOf(plan, instruments, receivers++ - firstReceiver) } : {}),
    origin: role === 'b' ? (plan.receiverOrigin ?? plan.origin) : plan.origin,
    ...(plan.access ? { access: plan.access } : {}),
    user: idOf(role === 'a' ? `${name}-a` : name),
    wire: role === 'a' ? wires.send : wires.receive,
    onError: role === 'a' ? watched(errors.send.add, 'senders', name) : watched(errors.receive.add, 'receivers', name),
    scheduler,
    now: () => instruments.clock.now(),
    settings,
  })
  const { transport, sendMode } = plan
  return {
    idOf,
    receiver: (name, deliver) =>
      browser ? browser.receiver(context('b', name), deliver) : openTransportReceiver(plan.transport, context('b', name), deliver),
    sender: (name) => {
      const a = context('a', name)
      return sendMode === 'socket' && transport.openSender ? transport.openSender(a) : openPostSender(a)
    },
    server: { origin: plan.origin, ...(plan.access ? { access: plan.access } : {}) },
  }
}

/** What receiver `index` (of this process) knows of its path, and where it reports a connection it dropped for silence. */
function silenceOf(plan: LoadPlan, { recorder, clock }: Instruments, index: number): SilencePolicy {
  return {
    ...(plan.receiverPath ?? loopbackPath),
    onSilent: () => recorder.silenceFound(index, clock.now()),
  }
}

/**
 * Opens one user's receiver: the transport's own, which stamps each delivery with the
 * context's clock (the generator's). A browser page's receiver (above) stamps on the page's
 * clock, corrected to this one by the offset measured.
 */
function openTransportReceiver(transport: Transport, ctx: ClientContext, deliver: Deliver): Promise<Receiver> {
  return transport.openReceiver(ctx, deliver)
}

/** Each receipt, scored: its stamp read back, checked against the receiver's group, and recorded. */
function deliveriesOf({ recorder, errors }: Instruments, firstReceiver: number): Deliveries {
  return {
    onData: (group, receiver) => (data, receivedMs) => {
      const stamp = decodeMessage(data)
      if (stamp?.pair !== group) return errors.receive.add(new Error(`receiver ${receiver} got a message that is not its group's`))
      recorder.delivered(receiver - firstReceiver, stamp.seq, stamp.scheduledMs, receivedMs)
    },
    onIdleData: () => errors.receive.add(new Error('an idle receiver got a message')),
  }
}
