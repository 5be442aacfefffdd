import { create } from 'zustand'
import { persist } from 'zustand/middleware'

export const LOCALES = ['pt-BR', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'pt-BR'

type LocaleState = { locale: Locale; setLocale: (locale: Locale) => void }

export const useLocaleStore = create<LocaleState>()(
  persist((set) => ({ locale: DEFAULT_LOCALE, setLocale: (locale) => set({ locale }) }), {
    name: 'evoai.locale',
    partialize: (state) => ({ locale: state.locale }),
    // A value from an older build or a hand-edited localStorage must not break the UI.
    merge: (persisted, current) => {
      const locale = (persisted as Partial<LocaleState> | undefined)?.locale
      return LOCALES.includes(locale as Locale) ? { ...current, locale: locale as Locale } : current
    },
  }),
)

// Screen readers and the browser's own spell-checking/translation read <html lang>.
function syncHtmlLang(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
syncHtmlLang(useLocaleStore.getState().locale)
useLocaleStore.subscribe((state) => syncHtmlLang(state.locale))
