import { ApiError } from './api-client'
import type { MessageKey, TFunction } from './i18n'

// Used when the server sends no readable message (or only its machine code).
const CODE_MESSAGES: Record<string, MessageKey> = {
  network_error: 'errors.network',
  validation_error: 'errors.validation',
  unauthorized: 'errors.unauthorized',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  conflict: 'errors.conflict',
  rate_limited: 'errors.rateLimited',
  internal_error: 'errors.unexpected',
}

/** The message to show for a failed request: the server's own words when it sent some. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected')
  if (error.status === 0 || error.status >= 500) return t(CODE_MESSAGES[error.code] ?? 'errors.unexpected')
  const readable = error.message && error.message !== error.code && !/^HTTP \d+$/.test(error.message)
  if (readable) return error.message
  if (error.code === 'validation_error' && error.details.length > 0) {
    return error.details.map((detail) => detail.message).join(' ')
  }
  return t(CODE_MESSAGES[error.code] ?? 'errors.unexpected')
}

const knownField = (path: string, fields: readonly string[]) =>
  path.split(/[.[\]]/).find((segment) => fields.includes(segment))

/**
 * Maps the API's `details[]` to form fields. Fields may arrive as paths
 * ("body.password", "permissions.canManageUsers"); the first segment a form knows wins.
 */
export function fieldErrors(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  const result: Record<string, string> = {}
  for (const detail of error.details) {
    const field = knownField(detail.field, fields)
    if (field && !(field in result)) result[field] = detail.message
  }
  return result
}

/**
 * The banner above a form: nothing when every problem is already shown under its field,
 * otherwise the general message (or the details no field could show).
 */
export function formErrorMessage(error: unknown, t: TFunction, fields: readonly string[]): string | null {
  if (!error) return null
  if (error instanceof ApiError && error.code === 'validation_error' && error.details.length > 0) {
    const unplaced = error.details.filter((detail) => !knownField(detail.field, fields))
    if (unplaced.length === 0) return null
    return unplaced.map((detail) => detail.message).join(' ')
  }
  return errorMessage(error, t)
}
