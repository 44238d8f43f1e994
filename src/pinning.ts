import { execFile } from 'node:child_process'
import { cpus } from 'node:os'
import { promisify } from 'node:util'
import { UserError } from './errors.js'

const run = promisify(execFile)

/**
 * Where the server and the generator run with --pin: the server on the last core, the
 * generator on the first, so they stop competing for one (on 2 cores: one each).
 */
export interface Placement {
  serverCpu: number
  generatorCpu: number
}

export function choosePlacement(): Placement {
  const cores = cpus().length
  if (process.platform !== 'linux') throw new UserError('--pin needs Linux (it uses taskset); run without --pin')
  if (cores < 2) throw new UserError(`--pin needs at least 2 cores, this machine has ${cores}; run without --pin`)
  return { serverCpu: cores - 1, generatorCpu: 0 }
}

/** Pins a process (all its threads) to one core with util-linux `taskset`. */
export async function pinProcess(pid: number, cpu: number): Promise<void> {
  try {
    await run('taskset', ['-a', '-p', '-c', String(cpu), String(pid)])
  } catch (err) {
    const missing = (err as { code?: unknown }).code === 'ENOENT'
    throw new UserError(
      missing ? '--pin needs taskset (Debian package util-linux); install it or run without --pin' : `--pin: taskset failed for pid ${pid}`,
    )
  }
}

/**
 * With --pin and --workers: the cores beside the server's, one worker per core in turn. On 2
 * cores that leaves one core, so every worker shares it (and the runner, which is mostly idle).
 */
export function workerCpus(placement: Placement, workers: number, cores: number = cpus().length): number[] {
  const free = Array.from({ length: cores }, (_, cpu) => cpu).filter((cpu) => cpu !== placement.serverCpu)
  return Array.from({ length: workers }, (_, w) => free[w % free.length] ?? placement.generatorCpu)
}
