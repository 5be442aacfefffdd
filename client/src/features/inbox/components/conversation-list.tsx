import { useEffect, useState, type ReactNode } from 'react'
import { Archive, Inbox, Search } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { flattenConversations } from '../api/cache'
import { useConversations } from '../api/conversations'
import type { ConversationFilters, InboxInstance } from '../api/types'
import { ConversationItem } from './conversation-item'

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs)
    return () => clearTimeout(timer)
  }, [value, delayMs])
  return debounced
}

type Props = { activeId: string | undefined; instances: InboxInstance[] }

// The AI's analysis: each option is the list of values sent (`sentiments=negative,mixed`).
const SENTIMENT_OPTIONS = [
  { value: 'negative,mixed', key: 'ai.filter.sentiment.worrying' },
  { value: 'negative', key: 'ai.sentiment.negative' },
  { value: 'mixed', key: 'ai.sentiment.mixed' },
  { value: 'neutral', key: 'ai.sentiment.neutral' },
  { value: 'positive', key: 'ai.sentiment.positive' },
] as const
const URGENCY_OPTIONS = [
  { value: 'high,critical', key: 'ai.filter.urgency.urgent' },
  { value: 'critical', key: 'ai.urgency.critical' },
  { value: 'high', key: 'ai.urgency.high' },
  { value: 'medium', key: 'ai.urgency.medium' },
  { value: 'low', key: 'ai.urgency.low' },
] as const
const asList = (value: string) => (value ? value.split(',') : undefined)

export function ConversationList({ activeId, instances }: Props) {
  const t = useT()
  const [searchInput, setSearchInput] = useState('')
  const search = useDebounced(searchInput.trim(), 300)
  const [filters, setFilters] = useState<Omit<ConversationFilters, 'search'>>({})
  const conversations = useConversations({ ...filters, search })
  const items = flattenConversations(conversations.data)
  const unreadTotal = conversations.data?.pages[0]?.unreadTotal ?? 0
  const set = (changes: Partial<ConversationFilters>) => setFilters((current) => ({ ...current, ...changes }))

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="inbox-conversations">
      <div className="grid gap-2 border-b border-slate-200 p-3">
        <div className="relative">
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
          <Input
            type="search"
            className="rounded-lg bg-slate-100 pl-9 shadow-none"
            aria-label={t('common.search')}
            placeholder={t('inbox.searchPlaceholder')}
            value={searchInput}
            onChange={(event) => setSearchInput(event.target.value)}
            data-testid="inbox-search"
          />
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <FilterChip active={!filters.isArchived && !filters.unreadOnly} onClick={() => set({ isArchived: false, unreadOnly: false })}>
            <Inbox className="size-3.5" aria-hidden />
            {t('inbox.filter.open')}
          </FilterChip>
          <FilterChip active={!!filters.unreadOnly} onClick={() => set({ unreadOnly: !filters.unreadOnly })} testId="inbox-filter-unread">
            {t('inbox.filter.unread')}
            {unreadTotal > 0 && !filters.isArchived && <span className="font-bold">{unreadTotal > 99 ? '99+' : unreadTotal}</span>}
          </FilterChip>
          <FilterChip active={!!filters.isArchived} onClick={() => set({ isArchived: !filters.isArchived })} testId="inbox-filter-archived">
            <Archive className="size-3.5" aria-hidden />
            {t('inbox.filter.archived')}
          </FilterChip>
        </div>
        <div className="flex gap-2">
          <Select
            aria-label={t('inbox.filter.ai')}
            className="h-8 text-xs"
            value={filters.status ?? ''}
            onChange={(event) => set({ status: (event.target.value || undefined) as ConversationFilters['status'] })}
            data-testid="inbox-filter-status"
          >
            <option value="">{t('inbox.filter.aiAll')}</option>
            <option value="active">{t('inbox.aiActive')}</option>
            <option value="paused">{t('inbox.aiPaused')}</option>
          </Select>
          {instances.length > 1 && (
            <Select
              aria-label={t('inbox.filter.instance')}
              className="h-8 text-xs"
              value={filters.instanceId ?? ''}
              onChange={(event) => set({ instanceId: event.target.value || undefined })}
              data-testid="inbox-filter-instance"
            >
              <option value="">{t('inbox.filter.allInstances')}</option>
              {instances.map((instance) => (
                <option key={instance.id} value={instance.id}>
                  {instance.instanceName}
                </option>
              ))}
            </Select>
          )}
        </div>
        <div className="flex gap-2">
          <Select
            aria-label={t('ai.filter.sentiment')}
            className="h-8 text-xs"
            value={filters.sentiments?.join(',') ?? ''}
            onChange={(event) => set({ sentiments: asList(event.target.value) })}
            data-testid="inbox-filter-sentiment"
          >
            <option value="">{t('ai.filter.sentiment.all')}</option>
            {SENTIMENT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {t(option.key)}
              </option>
            ))}
          </Select>
          <Select
            aria-label={t('ai.filter.urgency')}
            className="h-8 text-xs"
            value={filters.urgencies?.join(',') ?? ''}
            onChange={(event) => set({ urgencies: asList(event.target.value) })}
            data-testid="inbox-filter-urgency"
          >
            <option value="">{t('ai.filter.urgency.all')}</option>
            {URGENCY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {t(option.key)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto" aria-busy={conversations.isPlaceholderData || undefined}>
        {conversations.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : conversations.isError ? (
          <div className="p-3">
            <Alert>{errorMessage(conversations.error, t)}</Alert>
          </div>
        ) : items.length === 0 ? (
          <p className="p-8 text-center text-sm text-slate-500" data-testid="inbox-conversations-empty">
            {search || filters.unreadOnly || filters.status || filters.instanceId || filters.sentiments || filters.urgencies
              ? t('inbox.noResults')
              : filters.isArchived
                ? t('inbox.noArchived')
                : t('inbox.noConversations')}
          </p>
        ) : (
          <>
            <ul>
              {items.map((conversation) => (
                <ConversationItem
                  key={conversation.id}
                  conversation={conversation}
                  active={conversation.id === activeId}
                  showInstance={instances.length > 1}
                />
              ))}
            </ul>
            {conversations.hasNextPage && (
              <div className="flex justify-center p-3">
                <Button
                  variant="outline"
                  size="sm"
                  loading={conversations.isFetchingNextPage}
                  onClick={() => void conversations.fetchNextPage()}
                  data-testid="inbox-load-more"
                >
                  {t('inbox.loadMore')}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  )
}

function FilterChip({ active, onClick, children, testId }: { active: boolean; onClick: () => void; children: ReactNode; testId?: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      className={cn(
        'inline-flex items-center gap-1 rounded-full px-3 py-1 text-xs font-medium transition-colors',
        active ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-600 hover:bg-slate-200',
      )}
      data-testid={testId}
    >
      {children}
    </button>
  )
}
