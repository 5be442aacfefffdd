import { useCallback } from 'react'
import { en } from './en'
import { ptBR, type MessageKey, type Messages } from './pt-BR'
import { useLocaleStore, type Locale } from './store'

export { LOCALES, DEFAULT_LOCALE, useLocaleStore, type Locale } from './store'
export type { MessageKey } from './pt-BR'

export const catalogues: Record<Locale, Messages> = { 'pt-BR': ptBR, en }

export type TranslateParams = Record<string, string | number>
export type TFunction = (key: MessageKey, params?: TranslateParams) => string

export function translate(locale: Locale, key: MessageKey, params?: TranslateParams): string {
  const template = catalogues[locale][key] ?? ptBR[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  )
}

export function useLocale(): Locale {
  return useLocaleStore((state) => state.locale)
}

export function useT(): TFunction {
  const locale = useLocale()
  return useCallback((key, params) => translate(locale, key, params), [locale])
}

/** Locale-aware number and date formatting for the current language. */
export function useFormat() {
  const locale = useLocale()
  return {
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    date: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(new Date(value)),
    dateTime: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(value)),
    /** "em 7 dias" / "in 7 days" (whole days from now; "hoje"/"today" within half a day). */
    relativeDays: (value: string | Date, now: Date = new Date()) =>
      new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(
        Math.round((new Date(value).getTime() - now.getTime()) / 86_400_000),
        'day',
      ),
  }
}
