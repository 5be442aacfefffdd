import { act, renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { catalogues, translate, useLocaleStore, useT } from '.'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('i18n catalogues', () => {
  const ptKeys = Object.keys(catalogues['pt-BR']).sort()

  it('have identical keys in every language', () => {
    for (const messages of Object.values(catalogues)) {
      expect(Object.keys(messages).sort()).toEqual(ptKeys)
    }
  })

  it('use the same placeholders and no empty strings', () => {
    for (const messages of Object.values(catalogues)) {
      for (const key of ptKeys) {
        const text = messages[key as keyof typeof messages]
        expect(text.trim(), key).not.toBe('')
        expect(placeholders(text), key).toEqual(placeholders(catalogues['pt-BR'][key as keyof typeof messages]))
      }
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'dashboard.greeting', { name: 'Ana' })).toBe('Hello, Ana!')
    expect(translate('pt-BR', 'usage.ofLimit', { used: 3 })).toBe('3 de {limit}')
  })
})

describe('useT', () => {
  it('defaults to pt-BR, switches language, persists it and updates <html lang>', () => {
    const { result } = renderHook(() => useT())
    expect(result.current('nav.contacts')).toBe('Contatos')

    act(() => useLocaleStore.getState().setLocale('en'))
    expect(result.current('nav.contacts')).toBe('Contacts')
    expect(document.documentElement.lang).toBe('en')
    expect(JSON.parse(localStorage.getItem('evoai.locale') ?? '{}')).toMatchObject({ state: { locale: 'en' } })

    act(() => useLocaleStore.getState().setLocale('pt-BR'))
    expect(document.documentElement.lang).toBe('pt-BR')
  })
})
