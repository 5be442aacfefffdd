import { lazy, Suspense, useState } from 'react'
import { BarChart3, Plus, Settings2 } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { MIN_SEARCH, useBoard, useBoardSearch } from '../api/board'
import type { Funnel } from '../api/types'
import { useDealParam } from '../hooks/use-deal-param'
import { useDebounced } from '../hooks/use-debounced'
import { useFunnelPermissions } from '../hooks/use-funnel-permissions'
import { useMoney } from '../format'
import { BoardSearch } from './board-search'
import { FunnelSelect } from './funnel-select'
import { KanbanBoard } from './kanban-board'
import { NewDealDialog } from './new-deal-dialog'

// Opened on demand: none of them is needed to show the board.
const DealDrawer = lazy(() => import('./deal-drawer/deal-drawer').then((module) => ({ default: module.DealDrawer })))
const FunnelSettingsDialog = lazy(() => import('./settings/funnel-settings-dialog').then((module) => ({ default: module.FunnelSettingsDialog })))
const StatsDialog = lazy(() => import('./stats/stats-dialog').then((module) => ({ default: module.StatsDialog })))

type Props = { funnel: Funnel; funnels: Funnel[]; onSelectFunnel: (funnelId: string) => void }

export function FunnelWorkspace({ funnel, funnels, onSelectFunnel }: Props) {
  const t = useT()
  const money = useMoney()
  const permissions = useFunnelPermissions()
  const board = useBoard(funnel.id)
  const [search, setSearch] = useState('')
  const query = useDebounced(search.trim(), 300)
  const searching = query.length >= MIN_SEARCH
  const matches = useBoardSearch(funnel.id, query)
  const [dealId, setDealId] = useDealParam()
  const [newDeal, setNewDeal] = useState<{ stageId?: string } | null>(null)
  const [panel, setPanel] = useState<'settings' | 'stats' | null>(null)
  const stages = board.data?.columns.map((column) => column.stage) ?? funnel.stages

  return (
    // A board wants the whole width: from md up, break out of the page's max width to the edges
    // of the main area (sidebar 15rem, padding 2rem a side). Margins, not a transform, so the
    // drag overlay's fixed positioning still refers to the viewport.
    <div className="grid gap-4 md:ml-[calc((100%-100vw+19rem)/2)] md:w-[calc(100vw-19rem)]" data-testid="funnels-page">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="sr-only">{t('nav.funnels')}</h1>
        <FunnelSelect funnels={funnels} value={funnel.id} onChange={onSelectFunnel} />
        <BoardSearch value={search} onChange={setSearch} resultCount={searching ? matches.data?.size : undefined} />
        <span className="text-sm text-slate-500" data-testid="funnel-summary">
          {t('funnels.summary', { count: funnel.dealCount, value: money(funnel.totalValue) })}
        </span>
        <div className="ml-auto flex flex-wrap gap-2">
          <Button variant="outline" onClick={() => setPanel('stats')} data-testid="funnel-stats">
            <BarChart3 aria-hidden />
            {t('funnels.stats')}
          </Button>
          {permissions.canManageFunnels && (
            <Button variant="outline" onClick={() => setPanel('settings')} data-testid="funnel-settings">
              <Settings2 aria-hidden />
              {t('funnels.settings')}
            </Button>
          )}
          {permissions.canEditDeals && (
            <Button onClick={() => setNewDeal({})} data-testid="deal-create">
              <Plus aria-hidden />
              {t('deals.new')}
            </Button>
          )}
        </div>
      </div>

      {board.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : board.isError ? (
        <div className="grid gap-3">
          <Alert>{errorMessage(board.error, t)}</Alert>
          <Button variant="outline" className="w-fit" onClick={() => void board.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : (
        <KanbanBoard
          board={board.data}
          canEdit={permissions.canEditDeals}
          matches={searching ? matches.data : undefined}
          onOpenDeal={setDealId}
          onNewDeal={(stageId) => setNewDeal({ stageId })}
        />
      )}

      <NewDealDialog
        open={newDeal !== null}
        onOpenChange={(open) => !open && setNewDeal(null)}
        stages={stages}
        stageId={newDeal?.stageId}
      />
      <Suspense fallback={null}>
        {dealId && <DealDrawer dealId={dealId} funnels={funnels} onClose={() => setDealId(null)} />}
        {panel === 'settings' && <FunnelSettingsDialog funnel={funnel} funnels={funnels} onClose={() => setPanel(null)} onSelectFunnel={onSelectFunnel} />}
        {panel === 'stats' && <StatsDialog funnel={funnel} onClose={() => setPanel(null)} />}
      </Suspense>
    </div>
  )
}
