import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { UserError } from '../errors.js'
import { pinProcess } from '../pinning.js'
import type { ServerLimits } from '../server/limits.js'
import type { ServerSecurity } from '../server/security.js'
import type { ChildFailed, ChildMemory, ChildMemoryQuery, ChildReady, ChildStart } from './child.js'

const childEntry = fileURLToPath(new URL('./child.js', import.meta.url))
const startTimeoutMs = 15_000
const stopTimeoutMs = 5_000

export interface EmbeddedServer {
  origin: string
  readonly pid: number
  /**
   * The server process's memory breakdown (`process.memoryUsage()`), after a full garbage
   * collection when `collect` is set and the server was started with `exposeGc`.
   */
  memory(collect: boolean): Promise<ChildMemory>
  /** Settles only if the server ends on its own (not through `stop`), with how: `signal SIGKILL`, `exit code 1`. */
  died: Promise<string>
  /** Stops the server and starts a fresh one (empty mailboxes, a new instance id) on the same port; `pid` becomes the new one's. */
  restart(): Promise<void>
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Pins the child to this core (Linux `taskset`), away from the load generator. */
  cpu?: number
  security?: ServerSecurity
  limits?: ServerLimits
  /**
   * Starts the child with --expose-gc, so `memory(true)` can collect garbage before reading.
   * For measuring tools only; a run leaves it off, so the server runs as it would anywhere.
   */
  exposeGc?: boolean
}

/** Starts a fresh server in a child process on 127.0.0.1 and an ephemeral port. */
export async function startEmbeddedServer(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  let child = await startChild(options, 0)
  const port = child.port
  const scheme = options.security?.tls ? 'https' : 'http'
  let stopping = false
  const retired = new Set<ChildProcess>()
  let died: (how: string) => void = () => {}
  // Whichever child is current: one that ends on its own (not through stop or restart) is the server dying.
  const watch = (current: ChildProcess): void =>
    void current.once('exit', (code, signal) => {
      if (!stopping && !retired.has(current)) died(signal !== null ? `signal ${signal}` : `exit code ${code}`)
    })
  watch(child.process)
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    get pid() {
      return child.process.pid ?? -1
    },
    memory: (collect) => askMemory(child.process, collect),
    died: new Promise<string>((resolve) => (died = resolve)),
    restart: async () => {
      const old = child.process
      retired.add(old)
      await stopChild(old)
      child = await startChild(options, port)
      watch(child.process)
    },
    stop: () => {
      stopping = true
      return stopChild(child.process)
    },
  }
}

/** One server process, listening on `port` (0: an ephemeral one). */
async function startChild(
  { cpu, security = {}, limits, exposeGc = false }: EmbeddedOptions,
  port: number,
): Promise<{ process: ChildProcess; port: number }> {
  const child = fork(childEntry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: exposeGc ? ['--expose-gc'] : [],
  })
  try {
    child.send({ type: 'start', host: '127.0.0.1', port, security, ...(limits ? { limits } : {}) } satisfies ChildStart)
    const listening = await waitForPort(child)
    if (cpu !== undefined && child.pid !== undefined) await pinProcess(child.pid, cpu)
    return { process: child, port: listening }
  } catch (err) {
    await stopChild(child)
    throw err
  }
}

async function waitForPort(child: ChildProcess): Promise<number> {
  const timeout = AbortSignal.timeout(startTimeoutMs)
  const [message] = (await once(child, 'message', { signal: timeout }).catch(() => {
    throw new UserError('the embedded server did not start within 15 s', 1)
  })) as [ChildReady | ChildFailed]
  if (message.type === 'failed') throw new UserError(`the embedded server failed to start: ${message.message}`, 1)
  return message.port
}

async function askMemory(child: ChildProcess, collect: boolean): Promise<ChildMemory> {
  const answer = once(child, 'message', { signal: AbortSignal.timeout(startTimeoutMs) }) as Promise<[ChildMemory]>
  child.send({ type: 'memory', collect } satisfies ChildMemoryQuery)
  const [message] = await answer.catch(() => {
    throw new UserError('the embedded server did not report its memory within 15 s', 1)
  })
  return message
}

/** Ends the child by its id: SIGTERM, then SIGKILL if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
  await exited
  clearTimeout(timer)
}
