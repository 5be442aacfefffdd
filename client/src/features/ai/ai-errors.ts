import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import type { TFunction } from '@/lib/i18n'

/** 422 `ai_disabled`: the AI is off for the company (no key); the message says why in Portuguese. */
export const isAiDisabledError = (error: unknown): error is ApiError => error instanceof ApiError && error.code === 'ai_disabled'

/**
 * The message of a failed AI request. The server explains a model failure (503) in its own words
 * ("o assistente não conseguiu responder agora…"), which says more than a generic "try again".
 */
export function aiErrorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError && error.status === 503 && error.message && !/^HTTP \d+$/.test(error.message)) {
    return error.message
  }
  return errorMessage(error, t)
}
