import { describe, expect, it } from 'vitest'
import { findTrigger, matchReplies, normaliseShortcut, shortcutError } from './shortcut'
import { REPLIES } from './test-fixtures'
import { previewText } from './variables'

describe('shortcuts', () => {
  it('follow the server rule: a leading "/" dropped, 1–40 letters, digits, - or _', () => {
    expect(normaliseShortcut('  /preço ')).toBe('preço')
    for (const good of ['preco', '/Boas-Vindas_2', 'a'.repeat(40), 'ação']) expect(shortcutError(good)).toBeNull()
    for (const bad of ['', '/', 'two words', 'a'.repeat(41), 'preço!', 'a/b']) {
      expect(shortcutError(bad)).toBe('quickReplies.shortcutInvalid')
    }
  })

  it('trigger only on a "/" that starts a word, up to the caret', () => {
    expect(findTrigger('/', 1)).toEqual({ start: 0, end: 1, query: '' })
    expect(findTrigger('Oi /pre', 7)).toEqual({ start: 3, end: 7, query: 'pre' })
    expect(findTrigger('Oi\n/preço', 9)).toEqual({ start: 3, end: 9, query: 'preço' })
    expect(findTrigger('Oi /pre', 5)).toEqual({ start: 3, end: 5, query: 'p' })
    expect(findTrigger('e/ou', 4)).toBeNull()
    expect(findTrigger('https://x', 9)).toBeNull()
    expect(findTrigger('/pre ço', 7)).toBeNull()
  })

  it('match shortcut prefixes first, then shortcut and title anywhere, ignoring case and accents', () => {
    const shortcuts = (query: string) => matchReplies(REPLIES, query).map((reply) => reply.shortcut)
    expect(shortcuts('')).toEqual(['oi', 'pix', 'preco', 'prazo'])
    expect(shortcuts('PR')).toEqual(['preco', 'prazo'])
    expect(shortcuts('e')).toEqual(['preco', 'pix', 'prazo'])
    expect(shortcuts('saudacao')).toEqual(['oi'])
    expect(shortcuts('nada')).toEqual([])
  })
})

describe('preview', () => {
  it('fills the known variables with samples or the names given and keeps unknown ones', () => {
    const now = new Date(2030, 0, 31, 9, 5)
    const text = previewText('{{contact.firstName}} | {{ user.name }} | {{date}} {{time}} | {{deal.value}}', { 'user.name': 'Ana' }, now)
    expect(text).toBe('Maria | Ana | 31/01/2030 09:05 | {{deal.value}}')
  })
})
