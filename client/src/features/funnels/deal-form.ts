import type { MessageKey } from '@/lib/i18n'
import type { DealPriority } from './api/types'
import { parseAmount } from './format'

export type DealFormValues = {
  title: string
  value: string
  expectedCloseDate: string
  priority: '' | DealPriority
  description: string
}

export const EMPTY_DEAL_FORM: DealFormValues = { title: '', value: '', expectedCloseDate: '', priority: '', description: '' }

export type DealFormErrors = Partial<Record<keyof DealFormValues, MessageKey>>

export function validateDealForm(values: DealFormValues): DealFormErrors {
  const errors: DealFormErrors = {}
  const title = values.title.trim()
  if (!title) errors.title = 'validation.required'
  else if (title.length > 255) errors.title = 'deals.titleTooLong'
  if (values.value.trim() && parseAmount(values.value) === null) errors.value = 'deals.valueInvalid'
  return errors
}

/** The form as the API's fields ("" means "not set"). */
export function dealFormFields(values: DealFormValues) {
  return {
    title: values.title.trim(),
    value: values.value.trim() ? (parseAmount(values.value) ?? 0) : 0,
    expectedCloseDate: values.expectedCloseDate || null,
    priority: values.priority || null,
    description: values.description.trim() || null,
  }
}
