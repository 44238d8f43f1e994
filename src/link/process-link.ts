import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { linkTuning } from '../config.js'
import { ExitCode, UserError } from '../errors.js'
import { pinProcess } from '../pinning.js'
import { decodeMeasurements, type FromLink, type ToLink } from './process-protocol.js'
import type { LinkAddress, LinkEmulator, LinkMeasurements, LinkSpec } from './types.js'

const childEntry = fileURLToPath(new URL('./child.js', import.meta.url))

export interface ProcessLinkOptions {
  /** Pins the link process to this core (Linux `taskset`). */
  cpu?: number
  /** Seed of the jitter draws. @default 1 */
  seed?: number
}

/** A request before it is given its id. */
type Request = ToLink extends infer T ? (T extends ToLink ? Omit<T, 'id'> : never) : never

/**
 * The user-space link in a child process of its own (src/link/child.ts), started like the
 * embedded server and ended by its pid on every path: close(), a failure, or this process
 * exiting or being interrupted.
 */
export async function startLinkProcess(spec: LinkSpec, { cpu, seed = 1 }: ProcessLinkOptions = {}): Promise<LinkEmulator> {
  const child = fork(childEntry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] })
  child.on('error', () => {})
  const link = new ProcessLink(spec, child, cpu)
  try {
    if (cpu !== undefined && child.pid !== undefined) await pinProcess(child.pid, cpu)
    await link.request({ type: 'start', spec, seed }, 'start')
    return link
  } catch (err) {
    await link.close()
    throw err
  }
}

class ProcessLink implements LinkEmulator {
  readonly where: string
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (answer: FromLink) => void; reject: (err: Error) => void }>()
  private readonly releaseExitHooks: () => void

  constructor(
    readonly spec: LinkSpec,
    private readonly child: ChildProcess,
    cpu: number | undefined,
  ) {
    this.where = `user-space, pid ${child.pid ?? '?'}${cpu === undefined ? '' : ` on cpu ${cpu}`}`
    child.on('message', (answer: FromLink) => {
      const waiting = this.pending.get(answer.id)
      this.pending.delete(answer.id)
      if (answer.type === 'failed') waiting?.reject(new UserError(`the link process failed: ${answer.message}`, ExitCode.RuntimeFailure))
      else waiting?.resolve(answer)
    })
    child.on('exit', (code, signal) => {
      const why = new UserError(`the link process exited (${signal ?? `code ${code}`})`, ExitCode.RuntimeFailure)
      for (const waiting of this.pending.values()) waiting.reject(why)
      this.pending.clear()
    })
    this.releaseExitHooks = killOnExit(child)
  }

  async open(target: LinkAddress): Promise<LinkAddress> {
    const answer = await this.request({ type: 'open', target }, 'open a listener')
    if (answer.type !== 'opened') throw new UserError(`the link process answered ${answer.type} to open`, ExitCode.RuntimeFailure)
    return answer.address
  }

  async takeMeasurements(): Promise<LinkMeasurements> {
    const answer = await this.request({ type: 'take' }, 'send its measurements')
    if (answer.type !== 'measurements') throw new UserError(`the link process answered ${answer.type} to take`, ExitCode.RuntimeFailure)
    return decodeMeasurements(answer.measurements)
  }

  async close(): Promise<void> {
    if (running(this.child)) await this.request({ type: 'close' }, 'close').catch(() => undefined)
    await stopChild(this.child)
    this.releaseExitHooks()
  }

  /** Sends a request and waits for its answer; rejects in one line if the process fails, exits or is silent too long. */
  request(message: Request, what: string): Promise<FromLink> {
    if (!running(this.child))
      return Promise.reject(new UserError(`the link process is not running (could not ${what})`, ExitCode.RuntimeFailure))
    const id = this.nextId++
    return new Promise<FromLink>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new UserError(`the link process did not ${what} within ${linkTuning.startTimeoutMs / 1000} s`, ExitCode.RuntimeFailure))
      }, linkTuning.startTimeoutMs)
      const settle =
        <T>(f: (value: T) => void) =>
        (value: T): void => {
          clearTimeout(timer)
          f(value)
        }
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) })
      const request: ToLink = { ...message, id }
      this.child.send(request)
    })
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected
}

/** Ends the child by its id: SIGTERM, then SIGKILL if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), linkTuning.stopTimeoutMs)
  await exited
  clearTimeout(timer)
}

/**
 * This process exiting, or Ctrl-C / SIGTERM, must not leave the link process running: it is
 * killed by its pid, then the signal takes its usual course. Returns the function that disarms this.
 */
function killOnExit(child: ChildProcess): () => void {
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  const interrupted = (signal: NodeJS.Signals): void => {
    kill()
    release()
    process.kill(process.pid, signal)
  }
  const release = (): void => {
    process.off('exit', kill).off('SIGINT', interrupted).off('SIGTERM', interrupted)
  }
  process.on('exit', kill).on('SIGINT', interrupted).on('SIGTERM', interrupted)
  return release
}
