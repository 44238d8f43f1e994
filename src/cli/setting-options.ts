import { InvalidArgumentError, Option, type Command } from 'commander'
import { messageOf } from '../errors.js'
import { declaredSettings, sendSettingOf, type Declared } from '../transports/setting-values.js'
import type { Setting, TransportSettings } from '../transports/types.js'

/**
 * Every registered transport's setting flags (`--poll-interval`), made from their declarations:
 * the flag, its help, its default and its parser; and what they hold once parsed.
 */

/** A setting's parser as commander takes one: a rejected value is an InvalidArgumentError with the setting's message. */
export function settingParser<T>(setting: Setting<T>): (text: string) => T {
  return (text) => {
    try {
      return setting.parse(text)
    } catch (err) {
      throw new InvalidArgumentError(messageOf(err))
    }
  }
}

function optionOf({ transport, setting }: Declared, sendNote: string): Option {
  const note = sendSettingOf(transport) === setting ? sendNote : ''
  return new Option(setting.flag.name, `${setting.flag.help}${note}`)
    .argParser(settingParser(setting))
    .default(setting.default, setting.flag.shownDefault)
}

/** Adds each setting's flag in registry order; `sendNote` follows the help of a flag that chooses how userA sends. */
export function addSettingOptions(command: Command, sendNote = ''): Command {
  for (const declared of declaredSettings()) command.addOption(optionOf(declared, sendNote))
  return command
}

/** Where commander keeps a flag's value: its long name in camel case. */
function attributeOf(setting: Setting): string {
  return new Option(setting.flag.name).attributeName()
}

/** What the setting flags of a parsed command hold, defaults included, by transport name and setting key. */
export function settingFlagValues(command: Command): TransportSettings {
  const opts: Record<string, unknown> = command.opts()
  const out: Record<string, Record<string, unknown>> = {}
  for (const { transport, setting } of declaredSettings()) {
    out[transport.name] = { ...out[transport.name], [setting.key]: opts[attributeOf(setting)] }
  }
  return out
}

/** Whether the user typed this transport setting's flag (rather than leaving its default). */
export function typedSetting(command: Command, ref: { transport: string; key: string }): boolean {
  const declared = declaredSettings().find(({ transport, setting }) => transport.name === ref.transport && setting.key === ref.key)
  return declared !== undefined && command.getOptionValueSource(attributeOf(declared.setting)) === 'cli'
}
