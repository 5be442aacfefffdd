import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { useLocaleStore } from '@/lib/i18n'
import { useToastStore } from '@/lib/toast'

// jsdom lacks the layout APIs that Radix menus and dialogs call.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub
// React Flow reads the viewport's zoom from a DOMMatrixReadOnly of the transform.
class DOMMatrixReadOnlyStub {
  m22: number
  constructor(transform?: string) {
    const scale = /scale\(([\d.]+)\)/.exec(transform ?? '')?.[1]
    this.m22 = scale === undefined ? 1 : Number(scale)
  }
}
;(globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly ??= DOMMatrixReadOnlyStub
const elementMethods: Record<string, () => unknown> = {
  scrollIntoView: () => undefined,
  hasPointerCapture: () => false,
  releasePointerCapture: () => undefined,
}
const elementPrototype = Element.prototype as unknown as Record<string, unknown>
for (const [name, stub] of Object.entries(elementMethods)) {
  if (typeof elementPrototype[name] !== 'function') elementPrototype[name] = stub
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  localStorage.clear()
  useAuthStore.setState({ accessToken: null, refreshToken: null, endedBy: null })
  useLocaleStore.setState({ locale: 'pt-BR' })
  useToastStore.setState({ toasts: [] })
})
