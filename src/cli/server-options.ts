import { request } from 'undici'
import { accessAgent, authHeaders, type ServerAccess } from '../client/server-access.js'
import { errorCode, messageOf, UserError } from '../errors.js'
import { choosePlacement } from '../pinning.js'
import type { RunOptions } from '../run.js'
import { embeddedAccess, serverSecurity, targetAccess, type SecurityFlags } from './security-options.js'

/** The flags that say which server a measurement reaches and how: `run` and `capacity` share them. */
export interface ServerFlags extends SecurityFlags {
  target?: string
  pin?: boolean
  ca?: string
}

export type ServerChoice = Pick<RunOptions, 'target' | 'access' | 'security' | 'placement'>

/**
 * The server side of a run: --target (checked reachable, with the certificate to trust and the
 * token), or a fresh embedded server per transport (with its certificate and token); --pin.
 */
export async function resolveServer(flags: ServerFlags): Promise<ServerChoice> {
  if (flags.ca !== undefined && flags.target === undefined) {
    throw new UserError(`--ca ${flags.ca}: only for --target; the embedded server's own certificate is trusted already`)
  }
  const choice: ServerChoice = {}
  if (flags.target !== undefined) {
    choice.target = flags.target
    choice.access = await targetAccess(flags.target, flags)
    await checkReachable(flags.target, choice.access)
  } else {
    choice.security = await serverSecurity(flags)
    choice.access = embeddedAccess(choice.security)
  }
  if (flags.pin === true) choice.placement = choosePlacement()
  return choice
}

/** Fails fast, in one line, when nothing answers at --target, its certificate is not trusted, or it wants a token. */
async function checkReachable(origin: string, access: ServerAccess): Promise<void> {
  const dispatcher = accessAgent(access)
  try {
    const res = await request(`${origin}/stats`, { headersTimeout: 5000, bodyTimeout: 5000, headers: authHeaders(access), dispatcher })
    await res.body.dump()
    if (res.statusCode === 401) {
      throw new UserError(`--target ${origin}: the server answered 401 Unauthorized; pass the token it was started with as --token`)
    }
  } catch (err) {
    if (err instanceof UserError) throw err
    throw unreachable(origin, err)
  } finally {
    await dispatcher.close()
  }
}

const certificateProblem = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/

function unreachable(origin: string, err: unknown): UserError {
  const code = errorCode(err) ?? 'no answer'
  if (certificateProblem.test(code)) {
    return new UserError(
      `--target ${origin}: the server's TLS certificate is not trusted (${code}: ${messageOf(err)}); pass the certificate it serves with --ca FILE`,
    )
  }
  return new UserError(`--target ${origin}: cannot reach the server (${code}); start one with 'transport-bench serve' or drop --target`)
}
