import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'

/** Semantic search over the company's memory (server/evoai/ai/memory_endpoints.py). */

export type SearchSourceType = 'message' | 'faq' | 'knowledge'

export type SearchResult = {
  sourceType: SearchSourceType | (string & {})
  sourceId: string
  conversationId: string | null
  contactId: string | null
  instanceId: string | null
  content: string
  /** 1 − cosine distance: 1 is the same meaning. */
  score: number
  createdAt: string
}

export type SearchResponse = { results: SearchResult[]; model: string }

export type SearchParams = { q: string; limit?: number; instanceId?: string; contactId?: string }

export const SEARCH_LIMIT = 10

export const semanticSearchQueryOptions = (params: SearchParams) =>
  queryOptions({
    queryKey: aiKeys.search(params),
    queryFn: ({ signal }) =>
      api.get<SearchResponse>('/api/ai/search', { limit: SEARCH_LIMIT, ...params }, signal),
    // Each search costs an embedding call: the same question is not asked twice in a while.
    staleTime: 5 * 60_000,
  })

/** Runs only once there is something to look for (the server answers 400 to an empty `q`). */
export const useSemanticSearch = (params: SearchParams) =>
  useQuery({ ...semanticSearchQueryOptions(params), enabled: params.q.trim() !== '', placeholderData: keepPreviousData })
