import { appendFile, mkdir, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/**
 * Creates `dir` and its missing parents one level at a time, then writes and removes a probe
 * file in it, so an unwritable place fails before anything is measured. Node's own recursive
 * mkdir is not used: under /proc it loops for ever instead of failing.
 */
export async function prepareOutDir(dir: string): Promise<void> {
  const missing: string[] = []
  let at = resolve(dir)
  // Bounded by the path's depth: dirname of the root is the root.
  for (;;) {
    const found = await stat(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)))
    if (found !== undefined) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' })
      break
    }
    missing.unshift(at)
    if (dirname(at) === at) break
    at = dirname(at)
  }
  for (const folder of missing) await mkdir(folder)
  const probe = join(resolve(dir), `.transport-bench-probe-${process.pid}`)
  await writeFile(probe, '')
  await unlink(probe)
}

/** Creates `file` if it is missing (an existing one is left as it is) and checks it can be written. */
export async function prepareOutFile(file: string): Promise<void> {
  await appendFile(file, '')
}
