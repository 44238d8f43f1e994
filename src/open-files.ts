import { readFileSync } from 'node:fs'

/** The soft limit on open files of this process (Linux /proc/self/limits); undefined elsewhere. Child processes inherit it. */
export function openFilesLimit(limitsText?: string): number | undefined {
  let text = limitsText
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8')
    } catch {
      return undefined
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text)
  if (match === null || match[1] === 'unlimited') return undefined
  return Number(match[1])
}
