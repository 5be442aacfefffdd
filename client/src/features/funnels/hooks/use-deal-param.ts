import { useCallback } from 'react'
import { useSearchParams } from 'react-router'

/** The deal open in the drawer lives in `?deal=<id>`, so a deal can be linked and reloaded. */
export function useDealParam() {
  const [params, setParams] = useSearchParams()
  const dealId = params.get('deal')
  const setDealId = useCallback(
    (next: string | null) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current)
          if (next) updated.set('deal', next)
          else updated.delete('deal')
          return updated
        },
        // Opening a deal is a step back can undo; closing it should not add another.
        { replace: next === null },
      ),
    [setParams],
  )
  return [dealId, setDealId] as const
}
