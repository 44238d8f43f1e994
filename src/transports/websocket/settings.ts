import { choiceSetting } from '../setting-kinds.js'
import type { SendMode } from '../types.js'

export type WebsocketSettings = { send: SendMode }

/** Whether userA POSTs like every other transport's, or sends frames on a socket of its own. */
export const send = choiceSetting<SendMode>({
  key: 'send',
  label: 'WebSocket send mode',
  /** POST, as every other transport's userA: rows then differ by the receiving side only. */
  default: 'post',
  choices: ['post', 'socket'],
  flag: '--ws-send <how>',
  help: 'WebSocket userA sends by POST or on its own socket',
  describe: (mode) => `WebSocket userA ${mode === 'socket' ? 'sends on its socket' : 'POSTs'}`,
  legacyKey: 'wsSend',
})
