import { SORTS, type ContactListParams, type ContactSort, type SortField } from './types'

export const DEFAULT_SORT: ContactSort = '-createdAt'
export const DEFAULT_LIMIT = 50
export const PAGE_SIZES = [25, 50, 100] as const

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_KEYS = ['createdFrom', 'createdTo', 'activityFrom', 'activityTo'] as const

const isSort = (value: string | null): value is ContactSort => SORTS.includes(value as ContactSort)

/** Reads the list's state from the address bar, ignoring anything malformed (old links, hand edits). */
export function parseListParams(search: URLSearchParams): ContactListParams {
  const params: ContactListParams = {}
  const text = search.get('search')?.trim()
  if (text) params.search = text
  const tagIds = (search.get('tagIds') ?? '').split(',').filter(Boolean)
  if (tagIds.length > 0) params.tagIds = tagIds
  if (search.get('tagMatch') === 'all') params.tagMatch = 'all'
  for (const key of ['funnelId', 'stageId'] as const) {
    const value = search.get(key)
    if (value) params[key] = value
  }
  const blocked = search.get('isBlocked')
  if (blocked === 'true' || blocked === 'false') params.isBlocked = blocked === 'true'
  for (const key of DATE_KEYS) {
    const value = search.get(key)
    if (value && DATE.test(value)) params[key] = value
  }
  const sort = search.get('sort')
  if (isSort(sort) && sort !== DEFAULT_SORT) params.sort = sort
  const page = Number(search.get('page'))
  if (Number.isInteger(page) && page > 1) params.page = page
  const limit = Number(search.get('limit'))
  if (PAGE_SIZES.includes(limit as (typeof PAGE_SIZES)[number]) && limit !== DEFAULT_LIMIT) params.limit = limit
  return params
}

/** The inverse of parseListParams: defaults are left out so links stay short. */
export function toSearchParams(params: ContactListParams): URLSearchParams {
  const search = new URLSearchParams()
  if (params.search) search.set('search', params.search)
  if (params.tagIds?.length) {
    search.set('tagIds', params.tagIds.join(','))
    if (params.tagMatch === 'all') search.set('tagMatch', 'all')
  }
  if (params.funnelId) search.set('funnelId', params.funnelId)
  if (params.stageId) search.set('stageId', params.stageId)
  if (params.isBlocked !== undefined) search.set('isBlocked', String(params.isBlocked))
  for (const key of DATE_KEYS) if (params[key]) search.set(key, params[key])
  if (params.sort && params.sort !== DEFAULT_SORT) search.set('sort', params.sort)
  if (params.page && params.page > 1) search.set('page', String(params.page))
  if (params.limit && params.limit !== DEFAULT_LIMIT) search.set('limit', String(params.limit))
  return search
}

export type ApiQuery = Record<string, string | number | boolean>

/** The filters and sort as GET /api/contacts and /api/contacts/export read them. */
export function filterQuery(params: ContactListParams): ApiQuery {
  const query: ApiQuery = {}
  if (params.search) query.search = params.search
  if (params.tagIds?.length) {
    query.tagIds = params.tagIds.join(',')
    query.tagMatch = params.tagMatch ?? 'any'
  }
  if (params.funnelId) query.funnelId = params.funnelId
  if (params.stageId) query.stageId = params.stageId
  if (params.isBlocked !== undefined) query.isBlocked = params.isBlocked
  // Bare dates on purpose: the server reads each as that whole day in the company's time zone
  // ("to" included), so every member filters the same days wherever their browser is.
  for (const key of DATE_KEYS) if (params[key]) query[key] = params[key]
  query.sort = params.sort ?? DEFAULT_SORT
  return query
}

export function listQuery(params: ContactListParams): ApiQuery {
  return { page: params.page ?? 1, limit: params.limit ?? DEFAULT_LIMIT, ...filterQuery(params) }
}

/** How many filters (not search, sort or paging) are on: the badge of the filters button. */
export function activeFilterCount(params: ContactListParams): number {
  return [
    params.tagIds?.length,
    params.funnelId,
    params.stageId,
    params.isBlocked !== undefined,
    params.createdFrom || params.createdTo,
    params.activityFrom || params.activityTo,
  ].filter(Boolean).length
}

// Dates open newest first, names A→Z; a second click on the same column flips it.
const FIRST: Record<SortField, ContactSort> = { name: 'name', createdAt: '-createdAt', lastActivityAt: '-lastActivityAt' }

export function nextSort(current: ContactSort, field: SortField): ContactSort {
  if (current === field) return `-${field}` as ContactSort
  if (current === `-${field}`) return field
  return FIRST[field]
}
