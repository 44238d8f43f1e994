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

/**
 * Opens this process's share of the users (every receiver, then every sender) through the
 * plan's transport; each receipt is scored by the recorder on the run's clock.
 */
export function openUsers(plan: LoadPlan, part: LoadPart, instruments: Instruments): Promise<Population> {
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
  return openPopulation(shape, openersOf(plan, instruments, firstReceiver), deliveriesOf(instruments, firstReceiver))
}

function openersOf(plan: LoadPlan, instruments: Instruments, firstReceiver: number): Openers {
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
  const context = (role: 'a' | 'b', name: string): ClientContext => ({
    // The poll-to-send offsets are spread evenly, whatever the senders' stagger (poll-phases.ts).
    ...(role === 'b' ? { phase: pollPhase(phases, receivers++) } : {}),
    origin: plan.origin,
    ...(plan.access ? { access: plan.access } : {}),
    user: idOf(role === 'a' ? `${name}-a` : name),
    wire: role === 'a' ? wires.send : wires.receive,
    onError: role === 'a' ? errors.send.add : errors.receive.add,
    scheduler,
    now: () => instruments.clock.now(),
    settings,
  })
  const { transport, sendMode } = plan
  return {
    idOf,
    receiver: (name, deliver) => openTransportReceiver(plan.transport, context('b', name), deliver),
    sender: (name) => {
      const a = context('a', name)
      return sendMode === 'socket' && transport.openSender ? transport.openSender(a) : openPostSender(a)
    },
    server: { origin: plan.origin, ...(plan.access ? { access: plan.access } : {}) },
  }
}

/**
 * Opens one user's receiver: the transport's own, which stamps each delivery with the
 * context's clock (the generator's). A receiver stamped elsewhere (a browser page, its clock
 * offset-corrected to this one) would open here instead and pass its own receipt times.
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
