import type { MessageKey } from '@/lib/i18n'
import type { QuickReply } from './api/quick-replies'

// The server's rule (evoai/quick_replies/schemas.py): letters, digits, "-" and "_", at most 40.
const SHORTCUT = /^[\p{L}\p{N}_-]{1,40}$/u
// A "/" at the start of a word, followed by what was typed so far, right before the caret.
const TRIGGER = /(?:^|\s)\/([\p{L}\p{N}_-]{0,40})$/u

export const normaliseShortcut = (value: string) => value.trim().replace(/^\//, '')

export function shortcutError(value: string): MessageKey | null {
  return SHORTCUT.test(normaliseShortcut(value)) ? null : 'quickReplies.shortcutInvalid'
}

export type Trigger = { start: number; end: number; query: string }

/** The `/shortcut` being typed at the caret, if any: `start` is the slash, `end` the caret. */
export function findTrigger(text: string, caret: number): Trigger | null {
  const match = TRIGGER.exec(text.slice(0, caret))
  if (!match) return null
  const query = match[1] ?? ''
  return { start: caret - query.length - 1, end: caret, query }
}

/** Lower case without accents, as the server's search folds. */
export const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

const MAX_OPTIONS = 20

/** Replies whose shortcut or title holds the query; shortcuts that start with it come first. */
export function matchReplies(replies: readonly QuickReply[], query: string): QuickReply[] {
  const term = fold(query)
  const rank = (reply: QuickReply) => {
    const shortcut = fold(reply.shortcut)
    if (shortcut.startsWith(term)) return 0
    if (shortcut.includes(term)) return 1
    return fold(reply.title).includes(term) ? 2 : -1
  }
  return replies
    .map((reply) => ({ reply, rank: rank(reply) }))
    .filter((item) => item.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_OPTIONS)
    .map((item) => item.reply)
}
