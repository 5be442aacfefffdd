import type { MessageKey, TFunction } from '@/lib/i18n'
import type { NodeData } from '../api/types'

const KNOWN: Record<string, MessageKey> = {
  output: 'flows.handle.output',
  true: 'flows.handle.true',
  false: 'flows.handle.false',
  timeout: 'flows.handle.timeout',
  error: 'flows.handle.error',
}

/** "sim", "não", "tempo esgotado"…; a SPLIT branch is its letter and share ("A · 50%"). */
export function handleLabel(handle: string, t: TFunction, config?: NodeData): string {
  if (handle in KNOWN) return t(KNOWN[handle])
  const index = handle.charCodeAt(0) - 97
  const percentages = Array.isArray(config?.percentages) ? (config.percentages as unknown[]) : []
  const share = percentages[index]
  return typeof share === 'number' ? `${handle.toUpperCase()} · ${share}%` : handle.toUpperCase()
}

/** A step's or a run's free-form detail as one line. */
export function detailText(detail: unknown): string | null {
  if (detail === undefined || detail === null || detail === '') return null
  return typeof detail === 'string' ? detail : JSON.stringify(detail)
}
