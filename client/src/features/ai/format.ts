import type { MessageKey, TFunction } from '@/lib/i18n'
import type { AiAction } from './api/types'

const TOOL_KEYS: Record<string, MessageKey> = {
  add_tag: 'ai.tool.add_tag',
  handover: 'ai.tool.handover',
  move_stage: 'ai.tool.move_stage',
  notify_team: 'ai.tool.notify_team',
}

const STATUS_KEYS: Record<string, MessageKey> = {
  done: 'ai.actionStatus.done',
  failed: 'ai.actionStatus.failed',
  refused: 'ai.actionStatus.refused',
  simulated: 'ai.actionStatus.simulated',
}

export const LEVEL_KEYS: Record<number, { name: MessageKey; hint: MessageKey }> = {
  0: { name: 'ai.level.0', hint: 'ai.levelHint.0' },
  1: { name: 'ai.level.1', hint: 'ai.levelHint.1' },
  2: { name: 'ai.level.2', hint: 'ai.levelHint.2' },
}

export const toolLabel = (tool: string, t: TFunction) => (TOOL_KEYS[tool] ? t(TOOL_KEYS[tool]) : tool)
export const actionStatusLabel = (status: string, t: TFunction) => (STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : status)
export const levelName = (level: number, t: TFunction) => (LEVEL_KEYS[level] ? t(LEVEL_KEYS[level].name) : String(level))

/** "Adicionar tag: Interessado" — the tool and what it was given (the tag or the stage). */
export function actionTitle(action: Pick<AiAction, 'tool' | 'arguments'>, t: TFunction): string {
  const target = Object.values(action.arguments ?? {}).filter((value) => typeof value === 'string' && value !== '')
  return target.length > 0 ? `${toolLabel(action.tool, t)}: ${target.join(', ')}` : toolLabel(action.tool, t)
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** A contact-history payload that looks like an AI action (type AI_ACTION). */
export function asAiAction(payload: unknown): AiAction | null {
  if (!isRecord(payload) || typeof payload.tool !== 'string') return null
  return {
    tool: payload.tool,
    arguments: isRecord(payload.arguments) ? payload.arguments : {},
    reason: typeof payload.reason === 'string' ? payload.reason : '',
    level: typeof payload.level === 'number' ? payload.level : 0,
    status: typeof payload.status === 'string' ? payload.status : '',
    detail: typeof payload.detail === 'string' ? payload.detail : null,
  }
}

/**
 * The timeline sentence of an AI event: AI_ACTION from its payload; for other events by the AI
 * (TAG_ADDED, STAGE_CHANGED…) the server's sentence plus the model's reason. Null: not an AI event.
 */
export function aiTimelineText(
  item: { type: string; actor: string; summary: string; payload: Record<string, unknown> | null },
  t: TFunction,
): string | null {
  if (item.type === 'AI_ACTION') {
    const action = asAiAction(item.payload)
    if (!action) return null
    const head = `${actionTitle(action, t)} · ${actionStatusLabel(action.status, t)}`
    const lines = [head]
    if (action.reason) lines.push(t('ai.reasonLine', { reason: action.reason }))
    if (action.detail && action.status !== 'done') lines.push(action.detail)
    return lines.join('\n')
  }
  if (item.actor === 'ai') {
    const reason = item.payload?.reason
    return typeof reason === 'string' && reason ? `${item.summary}\n${t('ai.reasonLine', { reason })}` : null
  }
  return null
}

/** "US$ 0,0012" in the current language. */
export function formatUsd(value: string | number, locale: string): string {
  const amount = typeof value === 'number' ? value : Number.parseFloat(value)
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: amount > 0 && amount < 0.01 ? 4 : 2,
  }).format(Number.isFinite(amount) ? amount : 0)
}
