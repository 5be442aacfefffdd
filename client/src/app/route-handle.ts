import { useMatches } from 'react-router'
import type { MessageKey } from '@/lib/i18n'

/** Route metadata: the title used for <title>, the page heading of placeholders, etc. */
export type RouteHandle = { titleKey: MessageKey }

const hasTitle = (handle: unknown): handle is RouteHandle =>
  typeof handle === 'object' && handle !== null && 'titleKey' in handle

/** The title key of the deepest matched route that has one. */
export function useRouteTitleKey(): MessageKey | undefined {
  const matches = useMatches()
  for (let index = matches.length - 1; index >= 0; index--) {
    const { handle } = matches[index]
    if (hasTitle(handle)) return handle.titleKey
  }
  return undefined
}
