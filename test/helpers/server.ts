import { after } from 'node:test'
import { startServer, type RunningServer } from '../../src/host/listen.js'
import type { ServerLimits } from '../../src/server/limits.js'
import type { ServerSecurity } from '../../src/server/security.js'

/** A real server on 127.0.0.1 and a free port, closed when the test file ends. */
export async function startTestServer(limits?: ServerLimits, security?: ServerSecurity): Promise<RunningServer> {
  const server = await startServer({ host: '127.0.0.1', port: 0, ...(limits ? { limits } : {}), ...(security ? { security } : {}) })
  after(() => server.app.close())
  return server
}
