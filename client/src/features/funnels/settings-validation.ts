import type { MessageKey } from '@/lib/i18n'
import type { StageInput } from './api/types'

export type StageKind = 'open' | 'won' | 'lost'

export type StageFormValues = { name: string; color: string; probability: string; wipLimit: string; kind: StageKind }

export type FormErrors<T> = Partial<Record<keyof T, MessageKey>>

const HEX = /^#[0-9a-f]{6}$/i

export function validateFunnelName(name: string): MessageKey | undefined {
  const length = name.trim().length
  if (length === 0) return 'validation.required'
  if (length < 2 || length > 100) return 'validation.nameLength'
  return undefined
}

export function validateStage(values: StageFormValues): FormErrors<StageFormValues> {
  const errors: FormErrors<StageFormValues> = {}
  const name = values.name.trim()
  if (!name) errors.name = 'validation.required'
  else if (name.length > 100) errors.name = 'funnels.stageNameLength'
  if (!HEX.test(values.color)) errors.color = 'funnels.colorInvalid'
  const probability = Number(values.probability)
  if (values.probability.trim() === '' || !Number.isInteger(probability) || probability < 0 || probability > 100) {
    errors.probability = 'funnels.probabilityInvalid'
  }
  if (values.wipLimit.trim() !== '') {
    const limit = Number(values.wipLimit)
    if (!Number.isInteger(limit) || limit < 1) errors.wipLimit = 'funnels.wipInvalid'
  }
  return errors
}

/** An empty WIP field means "no limit" (sent as null so an existing limit is cleared). */
export function stageInput(values: StageFormValues): StageInput {
  return {
    name: values.name.trim(),
    color: values.color,
    probability: Number(values.probability),
    wipLimit: values.wipLimit.trim() === '' ? null : Number(values.wipLimit),
    isWonStage: values.kind === 'won',
    isLostStage: values.kind === 'lost',
  }
}
