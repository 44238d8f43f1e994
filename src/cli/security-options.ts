import type { Command } from 'commander'
import type { ServerAccess } from '../client/server-access.js'
import { UserError } from '../errors.js'
import type { ServerSecurity } from '../server/security.js'
import { generateLocalCertificate, loadCertificate, loadTrustedCertificate, type TlsCertificate } from '../tls/certificate.js'
import * as parse from './args.js'

/** The TLS and token flags `run` and `serve` share. */
export interface SecurityFlags {
  tls?: boolean
  cert?: string
  key?: string
  token?: string
  http2?: boolean
}

export function addSecurityOptions(command: Command): Command {
  return command
    .option('--tls', 'HTTPS and wss:// on the same port; without --cert/--key a certificate for localhost is made in memory')
    .option('--cert <file>', 'PEM certificate of the server (implies --tls); on run --target, the certificate to trust')
    .option('--key <file>', 'PEM private key of --cert')
    .option('--token <token>', 'bearer token required on every request and WebSocket upgrade', parse.token)
    .option('--http2', 'HTTP/2 for SSE and polling: ALPN h2 with --tls, prior-knowledge h2c without; WebSocket stays on HTTP/1.1')
}

/** The server's side: the certificate and key to serve (given or made now) and the token. */
export async function serverSecurity(flags: SecurityFlags): Promise<ServerSecurity> {
  const security: ServerSecurity = { ...(flags.token !== undefined ? { token: flags.token } : {}), ...http2Of(flags) }
  const tls = await serverCertificate(flags)
  if (tls !== undefined) security.tls = tls
  return security
}

async function serverCertificate(flags: SecurityFlags): Promise<TlsCertificate | undefined> {
  if ((flags.cert === undefined) !== (flags.key === undefined)) {
    throw new UserError(
      `${flags.cert === undefined ? '--key' : '--cert'} needs ${flags.cert === undefined ? '--cert' : '--key'}: give the certificate and its key together`,
    )
  }
  if (flags.cert !== undefined && flags.key !== undefined) return loadCertificate(flags.cert, flags.key)
  return flags.tls === true ? generateLocalCertificate() : undefined
}

/** The generator's side against --target: the certificate to trust (--ca, else --cert) and the token. */
export async function targetAccess(target: string, flags: SecurityFlags & { ca?: string }): Promise<ServerAccess> {
  if (flags.tls === true && !target.startsWith('https:')) {
    throw new UserError(`--tls: --target ${target} is not https://; give its https:// origin`)
  }
  const access: ServerAccess = { ...(flags.token !== undefined ? { token: flags.token } : {}), ...http2Of(flags) }
  if (flags.ca !== undefined) access.ca = await loadTrustedCertificate(flags.ca, '--ca')
  else if (flags.cert !== undefined) access.ca = await loadTrustedCertificate(flags.cert, '--cert')
  return access
}

/** The generator's side against its own server: trust exactly the certificate it serves. */
export function embeddedAccess(security: ServerSecurity): ServerAccess {
  return {
    ...(security.tls ? { ca: security.tls.cert } : {}),
    ...(security.token !== undefined ? { token: security.token } : {}),
    ...(security.http2 === true ? { http2: true } : {}),
  }
}

function http2Of(flags: SecurityFlags): { http2?: true } {
  return flags.http2 === true ? { http2: true } : {}
}
