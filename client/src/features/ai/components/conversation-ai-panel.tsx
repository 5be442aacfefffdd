import { useEffect, useRef, type ReactNode } from 'react'
import { Link } from 'react-router'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Bot, PanelRightClose, PanelRightOpen } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { contactQueryOptions } from '@/features/contacts/api/contacts'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import type { ConversationAnalysis } from '../api/analysis'
import { useConversationAiState } from '../api/conversation-state'
import { aiKeys } from '../api/keys'
import type { ConversationAiState } from '../api/types'
import { levelName } from '../format'
import { analysisOfState, latestAnalysis } from '../labels'
import { useAiPanelStore } from '../panel-store'
import { AiActionsList } from './ai-actions-list'
import { ConversationAnalysisSection } from './conversation-analysis'

const PAUSE_KEYS: Record<string, MessageKey> = {
  ai_handover: 'ai.panel.paused.ai_handover',
  manual: 'ai.panel.paused.manual',
  human_takeover: 'ai.panel.paused.human_takeover',
}
const RECENT_ACTIONS = 10

/** The button in the chat header that shows or hides the panel. */
export function AiPanelToggle() {
  const t = useT()
  const { open, setOpen } = useAiPanelStore()
  return (
    <Button
      variant="ghost"
      size="icon"
      onClick={() => setOpen(!open)}
      aria-pressed={open}
      aria-label={open ? t('ai.panel.hide') : t('ai.panel.show')}
      title={open ? t('ai.panel.hide') : t('ai.panel.show')}
      data-testid="ai-panel-toggle"
    >
      {open ? <PanelRightClose aria-hidden /> : <PanelRightOpen aria-hidden />}
    </Button>
  )
}

function ContactTags({ contactId }: { contactId: string }) {
  const t = useT()
  // The contact's cache entry is refreshed on every `contact-updated` event: tags appear live.
  const contact = useQuery(contactQueryOptions(contactId))
  const tags = contact.data?.tags ?? []
  return (
    <section className="grid gap-1.5">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('ai.panel.tags')}</h3>
      {contact.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : tags.length === 0 ? (
        <p className="text-xs text-slate-500">{t('ai.panel.noTags')}</p>
      ) : (
        <ul className="flex flex-wrap gap-1" data-testid="ai-panel-tags">
          {tags.map((tag) => (
            <li
              key={tag.id}
              className="rounded-full px-2 py-0.5 text-xs font-medium text-white"
              style={{ backgroundColor: tag.color }}
              data-testid="ai-panel-tag"
              data-tag-name={tag.name}
            >
              {tag.name}
            </li>
          ))}
        </ul>
      )}
      <Link to={`/contacts/${encodeURIComponent(contactId)}`} className="text-xs text-emerald-700 hover:underline">
        {t('ai.panel.openContact')}
      </Link>
    </section>
  )
}

function StateDetails({ state: data }: { state: ConversationAiState }) {
  const t = useT()
  const format = useFormat()
  // Newest turns first, as the server sends them.
  const actions = data.actionsPerformed.slice(0, RECENT_ACTIONS)
  return (
    <>
      <dl className="grid gap-1.5 text-sm" data-testid="ai-panel-state" data-paused={data.isPaused} data-ai-enabled={data.aiEnabled}>
        <div className="flex flex-wrap items-center gap-1.5">
          <dt className="sr-only">{t('ai.panel.status')}</dt>
          <dd>
            {!data.aiEnabled ? (
              <Badge tone="neutral">{t('ai.panel.off')}</Badge>
            ) : data.isPaused ? (
              <Badge tone="warning" data-testid="ai-panel-paused">
                {data.pausedReason && PAUSE_KEYS[data.pausedReason] ? t(PAUSE_KEYS[data.pausedReason]) : t('ai.panel.pausedGeneric')}
              </Badge>
            ) : (
              <Badge tone="success">{t('ai.panel.on')}</Badge>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{t('ai.panel.autonomy')}</dt>
          <dd className="text-slate-900" data-testid="ai-panel-level">
            {levelName(data.autonomyLevel, t)}
          </dd>
        </div>
        {data.lastTurnAt && (
          <div>
            <dt className="text-xs text-slate-500">{t('ai.panel.lastTurn')}</dt>
            <dd className="text-slate-900">{format.dateTime(data.lastTurnAt)}</dd>
          </div>
        )}
      </dl>
      <section className="grid gap-1.5">
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('ai.panel.actions')}</h3>
        {actions.length === 0 ? (
          <p className="text-xs text-slate-500" data-testid="ai-panel-no-actions">
            {t('ai.panel.noActions')}
          </p>
        ) : (
          <AiActionsList actions={actions} />
        )}
      </section>
    </>
  )
}

type Props = {
  conversationId: string
  contactId: string | null
  /** The conversation's aiState as the inbox holds it (live through `conversation-updated`). */
  analysis?: ConversationAnalysis | null
  /** Changes when a message arrives or is sent: the state is asked for again. */
  lastMessageId?: string
  /** More sections of the conversation's side panel (the inbox adds its follow-ups). */
  children?: ReactNode
}

/** The conversation's AI side panel: on or paused (and why), autonomy, analysis, recent actions, tags. */
export function ConversationAiPanel({ conversationId, contactId, analysis, lastMessageId, children }: Props) {
  const t = useT()
  const queryClient = useQueryClient()
  const state = useConversationAiState(conversationId)
  const seen = useRef(lastMessageId)
  useEffect(() => {
    if (seen.current === lastMessageId) return
    seen.current = lastMessageId
    void queryClient.invalidateQueries({ queryKey: aiKeys.conversationState(conversationId) })
  }, [conversationId, lastMessageId, queryClient])

  return (
    <aside
      className="absolute inset-y-0 right-0 z-10 flex w-72 shrink-0 flex-col gap-4 overflow-y-auto border-l border-slate-200 bg-slate-50 p-3 shadow-lg xl:static xl:shadow-none"
      aria-label={t('ai.panel.title')}
      data-testid="ai-panel"
    >
      <h2 className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
        <Bot className="size-4" aria-hidden />
        {t('ai.panel.title')}
      </h2>
      {state.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : state.isError ? (
        <Alert>{errorMessage(state.error, t)}</Alert>
      ) : (
        <StateDetails state={state.data} />
      )}
      <ConversationAnalysisSection
        conversationId={conversationId}
        analysis={latestAnalysis(analysis, state.data ? analysisOfState(state.data) : null)}
      />
      {contactId && <ContactTags contactId={contactId} />}
      {children}
      <Link to="/settings/ai" className="text-xs text-emerald-700 hover:underline">
        {t('ai.panel.settings')}
      </Link>
    </aside>
  )
}
