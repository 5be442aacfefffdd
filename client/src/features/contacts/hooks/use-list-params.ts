import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { parseListParams, toSearchParams } from '../api/query'
import type { ContactListParams } from '../api/types'

const SEARCH_DELAY_MS = 300

/**
 * The list's filters, sort and page live in the address bar, so coming back from a contact
 * (or sharing the link) shows the same list. Changes replace the entry instead of adding history.
 */
export function useListParams() {
  const [searchParams, setSearchParams] = useSearchParams()
  const params = useMemo(() => parseListParams(searchParams), [searchParams])
  // A debounced search fires after other filters may have changed; it must build on those.
  const latest = useRef(params)
  useEffect(() => {
    latest.current = params
  }, [params])

  const update = useCallback(
    (changes: Partial<ContactListParams>) => {
      const next: ContactListParams = { ...latest.current, ...changes }
      // A new filter, search or sort starts again from the first page.
      if (!('page' in changes)) delete next.page
      latest.current = next
      void setSearchParams(toSearchParams(next), { replace: true })
    },
    [setSearchParams],
  )

  const [searchInput, setSearchInput] = useState(params.search ?? '')
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])

  const changeSearch = useCallback(
    (value: string) => {
      setSearchInput(value)
      clearTimeout(timer.current)
      timer.current = setTimeout(() => update({ search: value.trim() || undefined }), SEARCH_DELAY_MS)
    },
    [update],
  )

  /** Drops search and filters; sort and page size stay as chosen. */
  const clearFilters = useCallback(() => {
    clearTimeout(timer.current)
    setSearchInput('')
    const { sort, limit } = latest.current
    latest.current = { sort, limit }
    void setSearchParams(toSearchParams({ sort, limit }), { replace: true })
  }, [setSearchParams])

  return { params, key: searchParams.toString(), update, searchInput, changeSearch, clearFilters }
}
