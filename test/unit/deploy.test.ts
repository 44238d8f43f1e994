import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseAllDocuments } from 'yaml'
import { buildProgram } from '../../src/cli/program.js'
import { projectRoot } from '../../src/context.js'

/**
 * deploy/kubernetes/ and the Dockerfile, checked without a cluster: the manifests parse and
 * hold together (the Job reaches the Service, the Service the Deployment's port, every shard
 * runs on one start instant with its completion index as its shard), and every flag the pods
 * pass is one the CLI knows. kubeconform is not a dependency and `kubectl --dry-run=client`
 * needs a cluster to ask, so these are the fields that matter, read by hand.
 */

/** A field deep in a parsed manifest, by its dotted path (`spec.template.spec.containers.0.args`). */
function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)
}

const dir = join(projectRoot, 'deploy', 'kubernetes')

function documents(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
  for (const d of docs) assert.deepEqual(d.errors, [], `${file} parses`)
  return docs.map((d) => d.toJS() as unknown)
}

const [deployment, service] = documents('server.yaml')
const [job] = documents('shards-job.yaml')

/** The flags a command accepts, by their long name. */
function flagsOf(command: string): Set<string> {
  const cmd = buildProgram().commands.find((c) => c.name() === command)
  assert.ok(cmd, command)
  return new Set(cmd.options.map((o) => o.long ?? ''))
}

/** A container's arguments, checked against the CLI; returns a reader of each flag's value. */
function argsOf(container: unknown, command: string): { args: string[]; arg: (flag: string) => string | undefined } {
  const args = (at(container, 'args') as unknown[]).map(String)
  assert.equal(args[0], command)
  const known = flagsOf(command)
  for (const flag of args.filter((a) => a.startsWith('--'))) assert.ok(known.has(flag), `${command} ${flag} is a flag of the CLI`)
  return { args, arg: (flag) => args[args.indexOf(flag) + 1] }
}

describe('deploy/kubernetes', () => {
  it('server.yaml: a Deployment of one serve replica, listening on all addresses, behind a Service on its port', () => {
    assert.equal(at(deployment, 'kind'), 'Deployment')
    assert.equal(at(service, 'kind'), 'Service')
    // One process: every shard must load the same server, whose /stats are then the whole server's.
    assert.equal(at(deployment, 'spec.replicas'), 1)
    const labels = at(deployment, 'spec.template.metadata.labels')
    assert.deepEqual(at(deployment, 'spec.selector.matchLabels'), labels)
    assert.deepEqual(at(service, 'spec.selector'), labels)
    const container = at(deployment, 'spec.template.spec.containers.0')
    const { arg } = argsOf(container, 'serve')
    assert.equal(arg('--host'), '0.0.0.0')
    const ports = at(container, 'ports') as unknown[]
    const port = ports.find((p) => at(p, 'name') === at(service, 'spec.ports.0.targetPort'))
    assert.equal(String(at(port, 'containerPort')), arg('--port'))
    assert.equal(at(container, 'readinessProbe.httpGet.path'), '/stats')
    assert.equal(at(deployment, 'spec.template.spec.securityContext.runAsNonRoot'), true)
  })

  it('shards-job.yaml: an Indexed Job, every shard at once on one instant, JOB_COMPLETION_INDEX as its shard, aimed at the Service', () => {
    assert.equal(at(job, 'kind'), 'Job')
    const completions = at(job, 'spec.completions')
    assert.equal(at(job, 'spec.completionMode'), 'Indexed')
    assert.equal(at(job, 'spec.parallelism'), completions)
    assert.equal(at(job, 'spec.backoffLimit'), 0)
    assert.equal(at(job, 'spec.template.spec.restartPolicy'), 'Never')
    assert.equal(at(job, 'spec.template.spec.securityContext.runAsNonRoot'), true)
    const container = at(job, 'spec.template.spec.containers.0')
    const { args, arg } = argsOf(container, 'run')
    assert.equal(arg('--shard'), `$(JOB_COMPLETION_INDEX)/${String(completions)}`)
    assert.equal(arg('--start-at'), '$(START_AT)')
    assert.ok((at(container, 'env') as unknown[]).some((e) => at(e, 'name') === 'START_AT'))
    assert.equal(arg('--target'), `http://${String(at(service, 'metadata.name'))}:${String(at(service, 'spec.ports.0.port'))}`)
    // The result on stdout alone, for kubectl logs to collect.
    assert.equal(arg('--format'), 'json')
    assert.ok(args.includes('--quiet') && args.includes('--no-save'))
    assert.equal(at(container, 'image'), at(deployment, 'spec.template.spec.containers.0.image'))
  })

  it('run-shards.sh fills in the instant, reads the shard count from the Job, and merges every shard', () => {
    const script = readFileSync(join(dir, 'run-shards.sh'), 'utf8')
    assert.match(script, /START_AT_PLACEHOLDER/)
    assert.match(readFileSync(join(dir, 'shards-job.yaml'), 'utf8'), /value: 'START_AT_PLACEHOLDER'/)
    assert.match(script, /batch\.kubernetes\.io\/job-completion-index=\$i/)
    assert.match(script, /\$tb merge "\$\{files\[@\]\}"/)
    execFileSync('bash', ['-n', join(dir, 'run-shards.sh')])
  })
})

/** True when a Docker engine answers (the client alone is not enough). */
function dockerEngine(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 })
    return true
  } catch {
    return false
  }
}

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8')

  it('builds in one stage and runs in another, production dependencies only, not as root', () => {
    assert.equal(dockerfile.match(/^FROM /gm)?.length, 2)
    assert.match(dockerfile, /^RUN npm ci --omit=dev --ignore-scripts/m)
    assert.match(dockerfile, /^COPY --from=build \/app\/dist\/src \.\/dist\/src$/m)
    const user = /^USER (\S+)$/m.exec(dockerfile)?.[1]
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `USER ${user}`)
  })

  it('builds, where a Docker engine runs', { skip: dockerEngine() ? false : 'no Docker engine here' }, () => {
    execFileSync('docker', ['build', '-t', 'transport-bench:test', projectRoot], { stdio: 'inherit', timeout: 600_000 })
    const help = execFileSync('docker', ['run', '--rm', 'transport-bench:test', '--help']).toString()
    assert.match(help, /transport-bench/)
  })
})
