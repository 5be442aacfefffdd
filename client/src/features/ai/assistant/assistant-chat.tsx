import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { Bot, SendHorizontal, Sparkles, User } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT, type MessageKey } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useAssistantChat, useAssistantMessages, type AssistantTool } from '../api/assistant'
import { AiErrorAlert } from '../components/ai-error-alert'
import { assistantToolLabel } from '../labels'

const MAX_MESSAGE = 4000
const SUGGESTIONS: MessageKey[] = ['aiAssistant.suggestion.waiting', 'aiAssistant.suggestion.funnel', 'aiAssistant.suggestion.enableAi']

/** "Dados consultados: funil, métricas" — each tool once, in the order the assistant used them. */
function ToolsUsed({ tools }: { tools: AssistantTool[] }) {
  const t = useT()
  const names = [...new Set(tools.map((tool) => tool.name))]
  if (names.length === 0) return null
  return (
    <p className="mt-1 text-[0.7rem] text-slate-500" data-testid="assistant-tools">
      {t('aiAssistant.toolsUsed', { tools: names.map((name) => assistantToolLabel(name, t)).join(', ') })}
    </p>
  )
}

function Bubble({ role, content, tools = [], pending }: { role: 'user' | 'assistant'; content: string; tools?: AssistantTool[]; pending?: boolean }) {
  const mine = role === 'user'
  return (
    <li
      className={cn('flex gap-2', mine ? 'flex-row-reverse' : 'flex-row')}
      data-testid="assistant-message"
      data-role={role}
      data-pending={pending || undefined}
    >
      <span
        className={cn(
          'mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full',
          mine ? 'bg-emerald-100 text-emerald-800' : 'bg-violet-100 text-violet-800',
        )}
        aria-hidden
      >
        {mine ? <User className="size-4" /> : <Bot className="size-4" />}
      </span>
      <div className={cn('max-w-[85%] min-w-0', mine && 'text-right')}>
        <div
          className={cn(
            'inline-block rounded-lg px-3 py-2 text-left text-sm break-words whitespace-pre-wrap shadow-sm',
            mine ? 'bg-emerald-600 text-white' : 'border border-slate-200 bg-white text-slate-900',
            pending && 'opacity-70',
          )}
        >
          {content}
        </div>
        {!mine && <ToolsUsed tools={tools} />}
      </div>
    </li>
  )
}

function TypingIndicator() {
  const t = useT()
  return (
    <li className="flex items-center gap-2" role="status" aria-label={t('aiAssistant.typing')} data-testid="assistant-typing">
      <span className="flex size-7 items-center justify-center rounded-full bg-violet-100 text-violet-800" aria-hidden>
        <Bot className="size-4" />
      </span>
      <span className="flex gap-1 rounded-lg border border-slate-200 bg-white px-3 py-3 shadow-sm" aria-hidden>
        {[0, 150, 300].map((delay) => (
          <span key={delay} className="size-1.5 animate-bounce rounded-full bg-slate-400" style={{ animationDelay: `${delay}ms` }} />
        ))}
      </span>
    </li>
  )
}

function Suggestions({ onPick, disabled }: { onPick: (text: string) => void; disabled: boolean }) {
  const t = useT()
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center" data-testid="assistant-empty">
      <span className="flex size-12 items-center justify-center rounded-full bg-violet-50 text-violet-700">
        <Sparkles className="size-6" aria-hidden />
      </span>
      <p className="max-w-md text-sm text-slate-600">{t('aiAssistant.emptyBody')}</p>
      <div className="flex flex-wrap justify-center gap-2">
        {SUGGESTIONS.map((key) => (
          <button
            key={key}
            type="button"
            disabled={disabled}
            onClick={() => onPick(t(key))}
            className="rounded-full border border-violet-200 bg-white px-3 py-1.5 text-sm text-violet-800 hover:bg-violet-50 disabled:opacity-50"
            data-testid="assistant-suggestion"
          >
            {t(key)}
          </button>
        ))}
      </div>
    </div>
  )
}

type Props = {
  /** null: a new conversation, created by the first question. */
  conversationId: string | null
  /** Called with the id the server gave a new conversation. */
  onConversation: (id: string) => void
}

/** The chat with the assistant: the history, the question being answered, the send box. */
export function AssistantChat({ conversationId, onConversation }: Props) {
  const t = useT()
  const messages = useAssistantMessages(conversationId)
  const chat = useAssistantChat()
  const [draft, setDraft] = useState('')
  // The question on its way, and the conversation it was asked in (null: a new one). `done`: the
  // answer came for a new conversation and the page is switching to it (a transition): the question
  // stays on screen until then, instead of the empty state flashing.
  const [asking, setAsking] = useState<{ text: string; from: string | null; done?: boolean } | null>(null)
  const [seenId, setSeenId] = useState(conversationId)
  if (seenId !== conversationId) {
    setSeenId(conversationId)
    if (asking?.done) setAsking(null)
  }
  const scroller = useRef<HTMLDivElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const shown = useRef(conversationId)
  const history = messages.data ?? []
  const pending = asking !== null && asking.from === conversationId ? asking.text : null
  const waiting = chat.isPending

  useEffect(() => {
    shown.current = conversationId
  }, [conversationId])

  useEffect(() => {
    const element = scroller.current
    if (element) element.scrollTop = element.scrollHeight
  }, [history.length, pending])

  function send(text: string) {
    const message = text.trim()
    if (!message || waiting || message.length > MAX_MESSAGE) return
    const from = conversationId
    setAsking({ text: message, from })
    setDraft('')
    chat.mutate(
      { message, ...(from ? { conversationId: from } : {}) },
      {
        onSuccess: (result) => {
          // A new conversation got its id; follow it unless the person went elsewhere meanwhile.
          if (result.conversationId !== from && shown.current === from) {
            setAsking({ text: message, from, done: true })
            onConversation(result.conversationId)
          } else {
            setAsking(null)
          }
          textarea.current?.focus()
        },
        // The question goes back into the box, so nothing typed is lost.
        onError: () => {
          setAsking(null)
          setDraft((current) => current || message)
          textarea.current?.focus()
        },
      },
    )
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send(draft)
    }
  }

  const empty = history.length === 0 && pending === null
  const typing = waiting && pending !== null
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="assistant-chat" data-conversation-id={conversationId ?? ''}>
      <div ref={scroller} className="flex min-h-0 flex-1 flex-col overflow-y-auto bg-slate-50 p-4" aria-live="polite">
        {conversationId && messages.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : messages.isError ? (
          <Alert>{errorMessage(messages.error, t)}</Alert>
        ) : empty ? (
          <Suggestions onPick={send} disabled={waiting} />
        ) : (
          <ul className="grid content-start gap-3" data-testid="assistant-messages">
            {history.map((message) => (
              <Bubble key={message.id} role={message.role} content={message.content} tools={message.tools} />
            ))}
            {pending !== null && <Bubble role="user" content={pending} pending />}
            {typing && <TypingIndicator />}
          </ul>
        )}
      </div>
      <div className="grid gap-2 border-t border-slate-200 bg-white p-3">
        {chat.isError && chat.variables.conversationId === (conversationId ?? undefined) && <AiErrorAlert error={chat.error} />}
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault()
            send(draft)
          }}
        >
          <textarea
            ref={textarea}
            rows={1}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            maxLength={MAX_MESSAGE}
            placeholder={t('aiAssistant.placeholder')}
            aria-label={t('aiAssistant.placeholder')}
            className="field-sizing-content max-h-40 min-h-10 flex-1 resize-none rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus-visible:border-emerald-600 focus-visible:outline-none"
            data-testid="assistant-input"
          />
          <Button
            type="submit"
            size="icon"
            className="shrink-0 rounded-full"
            disabled={waiting || draft.trim() === ''}
            loading={waiting}
            aria-label={t('aiAssistant.send')}
            title={t('aiAssistant.send')}
            data-testid="assistant-send"
          >
            {!waiting && <SendHorizontal aria-hidden />}
          </Button>
        </form>
        <p className="text-[0.7rem] text-slate-400">{t('aiAssistant.keyboardHint')}</p>
      </div>
    </div>
  )
}
