import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { UserError } from '../errors.js'
import { pinProcess } from '../pinning.js'
import type { ChildFailed, ChildReady, ChildStart } from './child.js'
import type { ServerLimits } from './limits.js'
import type { ServerSecurity } from './security.js'

const childEntry = fileURLToPath(new URL('./child.js', import.meta.url))
const startTimeoutMs = 15_000
const stopTimeoutMs = 5_000

export interface EmbeddedServer {
  origin: string
  pid: number
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Pins the child to this core (Linux `taskset`), away from the load generator. */
  cpu?: number
  security?: ServerSecurity
  limits?: ServerLimits
}

/** Starts a fresh server in a child process on 127.0.0.1 and an ephemeral port. */
export async function startEmbeddedServer({ cpu, security = {}, limits }: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const child = fork(childEntry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  })
  try {
    child.send({ type: 'start', host: '127.0.0.1', port: 0, security, ...(limits ? { limits } : {}) } satisfies ChildStart)
    const port = await waitForPort(child)
    if (cpu !== undefined && child.pid !== undefined) await pinProcess(child.pid, cpu)
    const scheme = security.tls ? 'https' : 'http'
    return { origin: `${scheme}://127.0.0.1:${port}`, pid: child.pid ?? -1, stop: () => stopChild(child) }
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

/** Ends the child by its id: SIGTERM, then SIGKILL if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
  await exited
  clearTimeout(timer)
}
