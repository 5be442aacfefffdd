import { useSearchParams } from 'react-router'
import { Bot, Search } from 'lucide-react'
import { TabButton } from '@/components/ui/tab-button'
import { Alert } from '@/components/ui/alert'
import { useT } from '@/lib/i18n'
import { useAiStatus } from '../api/status'
import { AiEnableHint } from '../components/ai-error-alert'
import { SemanticSearch } from '../search/semantic-search'
import { AssistantChat } from './assistant-chat'
import { AssistantConversations } from './assistant-conversations'

type Tab = 'chat' | 'search'

/** Says up front that the AI is off (the server's reason) and how to turn it on. */
function AiOffNotice() {
  const t = useT()
  const status = useAiStatus()
  if (!status.data || status.data.enabled) return null
  return (
    <Alert tone="info" data-testid="ai-disabled">
      <p className="font-medium">{t('ai.disabled.title')}</p>
      {status.data.reason && <p className="mt-1">{status.data.reason}</p>}
      <AiEnableHint />
    </Alert>
  )
}

/**
 * "Assistente IA": questions about the company's own data (leads waiting, the funnel, metrics),
 * answered by the model with read-only tools, and a semantic search over the conversations.
 * The open conversation and the tab live in the URL (?conversation=…&tab=search).
 */
export function AssistantPage() {
  const t = useT()
  const [params, setParams] = useSearchParams()
  const tab: Tab = params.get('tab') === 'search' ? 'search' : 'chat'
  const conversationId = params.get('conversation')

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current)
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key)
          else next.set(key, value)
        }
        return next
      },
    )

  return (
    <div className="grid gap-4" data-testid="assistant-page">
      <div>
        <h1 className="flex items-center gap-2 text-xl font-semibold text-slate-900">
          <Bot className="size-5 text-violet-700" aria-hidden />
          {t('aiAssistant.title')}
        </h1>
        <p className="text-sm text-slate-500">{t('aiAssistant.description')}</p>
      </div>
      <AiOffNotice />
      <div role="tablist" className="flex gap-1 border-b border-slate-200">
        <TabButton active={tab === 'chat'} onClick={() => update({ tab: null })} testId="assistant-tab-chat">
          <Bot className="size-4" aria-hidden />
          {t('aiAssistant.tabChat')}
        </TabButton>
        <TabButton active={tab === 'search'} onClick={() => update({ tab: 'search' })} testId="assistant-tab-search">
          <Search className="size-4" aria-hidden />
          {t('aiSearch.tab')}
        </TabButton>
      </div>
      {tab === 'chat' ? (
        <div className="flex h-[calc(100dvh-16rem)] min-h-[28rem] flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm md:flex-row">
          <aside className="flex max-h-48 flex-col border-b border-slate-200 md:max-h-none md:w-72 md:shrink-0 md:border-r md:border-b-0">
            <AssistantConversations selectedId={conversationId} onSelect={(id) => update({ conversation: id })} />
          </aside>
          <AssistantChat conversationId={conversationId} onConversation={(id) => update({ conversation: id })} />
        </div>
      ) : (
        <SemanticSearch />
      )}
    </div>
  )
}
