import { findTransport, transports } from './registry.js'
import type { Setting, SettingValues, TransportSettings } from './setting.js'
import type { ClientKind, SendMode, Transport } from './types.js'

/** A registered transport's setting, with its transport. */
export interface Declared {
  transport: Transport
  setting: Setting
}

/** Every registered setting, transport by transport in registry order. */
export function declaredSettings(): Declared[] {
  return transports.flatMap((transport) => transport.settings.map((setting) => ({ transport, setting })))
}

export function findSetting(transport: Transport, key: string): Setting | undefined {
  return transport.settings.find((s) => s.key === key)
}

/** Every registered transport's settings: those `all` gives, the rest at their defaults. */
export function completeSettings(all: TransportSettings = {}): TransportSettings {
  return Object.fromEntries(transports.filter((t) => t.settings.length > 0).map((t) => [t.name, settingsOf(t, all)]))
}

/** Every registered transport's settings at their defaults. */
export function defaultSettings(): TransportSettings {
  return completeSettings()
}

/** A transport's own settings out of a run's, each one it declares filled in (its default when the run does not say). */
export function settingsOf<S extends SettingValues>(transport: Transport<S>, all: TransportSettings | undefined): S {
  const given = all?.[transport.name] ?? {}
  return Object.fromEntries(transport.settings.map((s) => [s.key, s.key in given ? given[s.key] : s.default])) as S
}

/** `all` with the transport's settings as its receivers really use them with these clients (Transport.settingsWith). */
export function settingsUsed(transport: Transport, all: TransportSettings, clients: ClientKind): TransportSettings {
  if (transport.settingsWith === undefined) return all
  return { ...all, [transport.name]: transport.settingsWith(settingsOf(transport, all), clients) }
}

/** `all` with one setting of one transport replaced. */
export function withSetting(all: TransportSettings, transport: Transport, key: string, value: unknown): TransportSettings {
  return { ...all, [transport.name]: { ...all[transport.name], [key]: value } }
}

/** How userA sends on this transport under these settings: POST unless the transport has its own channel and its setting says so. */
export function sendModeOf(transport: Transport, all: TransportSettings | undefined): SendMode {
  const { sends } = transport.capabilities
  if (sends === 'post' || transport.openSender === undefined) return 'post'
  return settingsOf(transport, all)[sends.ownChannel] === 'socket' ? 'socket' : 'post'
}

/** `all` with this transport's userA sending as `mode` (capacity's `websocket:socket`); unchanged for a transport that only POSTs. */
export function withSendMode(all: TransportSettings, transport: Transport, mode: SendMode): TransportSettings {
  const { sends } = transport.capabilities
  return sends === 'post' ? all : withSetting(all, transport, sends.ownChannel, mode)
}

/** The setting that chooses how a transport's userA sends, if it has its own channel. */
export function sendSettingOf(transport: Transport): Setting | undefined {
  const { sends } = transport.capabilities
  return sends === 'post' ? undefined : findSetting(transport, sends.ownChannel)
}

/** The transports of a run, by name, as registered; unknown names are left out. */
export function transportsNamed(names: readonly string[]): Transport[] {
  return names.map((name) => findTransport(name)).filter((t): t is Transport => t !== undefined)
}

/**
 * How long a message may wait at the server before a receiver of this transport asks for it
 * (its `pollsEvery` setting, in ms); 0 for a transport that hands each message on at once.
 */
export function pollGapMs(transport: Transport, all: TransportSettings | undefined): number {
  return Math.max(0, ...(pollingOf(transport, all)?.everyMs ?? []))
}

/** The flag as a user types it: `--poll-interval`. */
export function flagOf(setting: Setting): string {
  return setting.flag.name.split(' ')[0]!
}

/** A transport's `pollsEvery` setting and its values in these settings (a swept one's every value). */
export function pollingOf(transport: Transport, all: TransportSettings | undefined): { setting: Setting; everyMs: number[] } | undefined {
  const key = transport.capabilities.pollsEvery
  const setting = key === undefined ? undefined : findSetting(transport, key)
  if (key === undefined || setting === undefined) return undefined
  const value = settingsOf(transport, all)[key]
  return { setting, everyMs: (Array.isArray(value) ? value : [value]).map(Number) }
}
