import type { MessageKey } from '@/lib/i18n'

/** One editable key/value line; `original` keeps a non-text value the user did not touch. */
export type FieldRow = { id: number; key: string; value: string; original?: unknown }

export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export function toRows(fields: Record<string, unknown>): FieldRow[] {
  return Object.entries(fields).map(([key, value], index) => ({ id: index, key, value: displayValue(value), original: value }))
}

/** The rows as the API's `customFields`: blank lines dropped, untouched numbers/lists kept as they were. */
export function toCustomFields(rows: FieldRow[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const row of rows) {
    const key = row.key.trim()
    if (!key) continue
    fields[key] = row.original !== undefined && displayValue(row.original) === row.value ? row.original : row.value
  }
  return fields
}

/** The first problem with the rows, if any: a value without a key, or the same key twice. */
export function customFieldsError(rows: FieldRow[]): MessageKey | null {
  const seen = new Set<string>()
  for (const row of rows) {
    const key = row.key.trim()
    if (!key) {
      if (row.value.trim()) return 'contacts.fields.keyRequired'
      continue
    }
    if (seen.has(key.toLowerCase())) return 'contacts.fields.duplicateKey'
    seen.add(key.toLowerCase())
  }
  return null
}
