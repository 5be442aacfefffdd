import { Link, useNavigate } from 'react-router'
import { MessagesSquare, Smartphone } from 'lucide-react'
import { buttonVariants } from '@/components/ui/button-variants'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { InboxInstance } from '../api/types'
import { ChatView } from './chat-view'
import { ConversationList } from './conversation-list'


type Props = {
  conversationId: string | undefined
  instances: InboxInstance[]
  /** False while the instances load: no "connect a number" notice before we know. */
  instancesLoaded: boolean
}

function Placeholder({ noInstance }: { noInstance: boolean }) {
  const t = useT()
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 bg-slate-50 p-8 text-center" data-testid="inbox-placeholder">
      <span className="flex size-16 items-center justify-center rounded-full bg-emerald-50 text-emerald-700">
        {noInstance ? <Smartphone className="size-8" aria-hidden /> : <MessagesSquare className="size-8" aria-hidden />}
      </span>
      <h2 className="text-lg font-semibold text-slate-900">{noInstance ? t('inbox.noInstanceTitle') : t('inbox.selectTitle')}</h2>
      <p className="max-w-sm text-sm text-slate-500">{noInstance ? t('inbox.noInstanceBody') : t('inbox.selectBody')}</p>
      {noInstance && (
        <Link to="/connections" className={buttonVariants()} data-testid="inbox-to-connections">
          {t('inbox.toConnections')}
        </Link>
      )}
    </div>
  )
}

/** Two panes like WhatsApp Web; on small screens the list or the chat, one at a time. */
export function InboxPage({ conversationId, instances, instancesLoaded }: Props) {
  const navigate = useNavigate()
  const noInstance = instancesLoaded && instances.length === 0
  return (
    <div
      className="-mx-4 -mt-4 -mb-4 flex h-[calc(100dvh-3.5rem)] overflow-hidden border-slate-200 bg-white md:mx-0 md:mt-0 md:mb-0 md:h-[calc(100dvh-3.5rem-4rem)] md:rounded-xl md:border md:shadow-sm"
      data-testid="inbox"
    >
      <aside
        className={cn(
          'flex w-full min-w-0 flex-col border-r border-slate-200 md:w-80 md:shrink-0 lg:w-96',
          conversationId && 'hidden md:flex',
        )}
      >
        <ConversationList activeId={conversationId} instances={instances} />
      </aside>
      <section className={cn('min-w-0 flex-1 flex-col', conversationId ? 'flex' : 'hidden md:flex')}>
        {conversationId ? (
          <ChatView conversationId={conversationId} onClosed={() => void navigate('/inbox', { replace: true })} />
        ) : (
          <Placeholder noInstance={noInstance} />
        )}
      </section>
    </div>
  )
}
