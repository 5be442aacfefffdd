import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { ArrowLeft, Ban, ChevronLeft, ChevronRight } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useMe } from '@/features/auth/api/me'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { useCancelExecution, useExecution, useExecutions, useFlow } from '../api/flows'
import { EXECUTION_STATUSES, type ExecutionStatus, type Flow } from '../api/types'
import { toEditorEdges, toEditorNodes, visitedOf } from '../graph'
import { FLOWS_PATH, flowPath } from '../paths'
import { canManageFlows } from '../permissions'
import { FlowCanvas } from './flow-canvas'
import { PathSteps } from './path-steps'

const PAGE_SIZE = 20
const STATUS_TONE: Record<ExecutionStatus, 'info' | 'warning' | 'success' | 'danger' | 'neutral'> = {
  RUNNING: 'info',
  WAITING: 'warning',
  COMPLETED: 'success',
  FAILED: 'danger',
  TIMEOUT: 'warning',
  CANCELLED: 'neutral',
}
const CANCELLABLE: readonly ExecutionStatus[] = ['RUNNING', 'WAITING']

function StatusBadge({ status }: { status: ExecutionStatus }) {
  const t = useT()
  return (
    <Badge tone={STATUS_TONE[status] ?? 'neutral'} data-testid="flow-execution-status" data-status={status}>
      {t(`flows.status.${status}`)}
    </Badge>
  )
}

/** /automation/flows/:id/executions: the flow's runs, filtered by state; one opened shows its path. */
export function ExecutionsPage({ flowId }: { flowId: string }) {
  const t = useT()
  const format = useFormat()
  const flow = useFlow(flowId)
  const [filters, setFilters] = useState<{ status: ExecutionStatus | ''; page: number }>({ status: '', page: 1 })
  const [openId, setOpenId] = useState<string | null>(null)
  const executions = useExecutions(flowId, { ...filters, limit: PAGE_SIZE })
  const pages = Math.max(executions.data?.pagination?.pages ?? 1, 1)

  return (
    <div className="grid gap-4" data-testid="flow-executions-page">
      <div className="flex flex-wrap items-center gap-3">
        <Link to={FLOWS_PATH} className={buttonVariants({ variant: 'ghost', size: 'icon' })} aria-label={t('flows.editor.back')}>
          <ArrowLeft aria-hidden />
        </Link>
        <div className="min-w-0 flex-1">
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">{t('flows.executions.title')}</h1>
          {flow.data && (
            <Link to={flowPath(flowId)} className="text-sm text-emerald-800 hover:underline">
              {flow.data.name}
            </Link>
          )}
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="flow-executions-status">{t('flows.executions.filter')}</Label>
          <Select
            id="flow-executions-status"
            value={filters.status}
            onChange={(event) => setFilters({ status: event.target.value as ExecutionStatus | '', page: 1 })}
            data-testid="flow-executions-status"
          >
            <option value="">{t('flows.executions.allStatuses')}</option>
            {EXECUTION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`flows.status.${status}`)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Card>
        {executions.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : executions.isError ? (
          <Alert className="m-4">{errorMessage(executions.error, t)}</Alert>
        ) : executions.data.data.length === 0 ? (
          <p className="p-10 text-center text-sm text-slate-500" data-testid="flow-executions-empty">
            {t('flows.executions.empty')}
          </p>
        ) : (
          <Table data-testid="flow-executions-table" aria-busy={executions.isPlaceholderData || undefined}>
            <TableHeader>
              <TableRow>
                <TableHead>{t('flows.executions.col.contact')}</TableHead>
                <TableHead>{t('flows.executions.col.status')}</TableHead>
                <TableHead>{t('flows.executions.col.started')}</TableHead>
                <TableHead>{t('flows.executions.col.finished')}</TableHead>
                <TableHead>{t('flows.executions.col.error')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {executions.data.data.map((execution) => (
                <TableRow
                  key={execution.id}
                  className={cn(openId === execution.id && 'bg-emerald-50/60')}
                  data-testid="flow-execution-row"
                >
                  <TableCell>
                    <button
                      type="button"
                      className="font-medium text-emerald-800 underline-offset-2 hover:underline"
                      onClick={() => setOpenId(execution.id)}
                      data-testid="flow-execution-open"
                    >
                      {execution.contact?.name ?? t('flows.executions.noContact')}
                    </button>
                  </TableCell>
                  <TableCell>
                    <StatusBadge status={execution.status} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{format.dateTime(execution.startedAt)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {execution.finishedAt
                      ? format.dateTime(execution.finishedAt)
                      : execution.waitingUntil
                        ? t('flows.executions.waitingUntil', { at: format.dateTime(execution.waitingUntil) })
                        : '—'}
                  </TableCell>
                  <TableCell className="max-w-xs truncate text-red-700" title={execution.error ?? undefined}>
                    {execution.error ?? ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <nav className="flex items-center justify-end gap-2 p-3 text-sm text-slate-600" aria-label={t('common.pageOf', { page: filters.page, pages })}>
          <span>{t('common.pageOf', { page: filters.page, pages })}</span>
          <Button variant="outline" size="sm" disabled={filters.page <= 1} onClick={() => setFilters({ ...filters, page: filters.page - 1 })}>
            <ChevronLeft aria-hidden />
            {t('common.previous')}
          </Button>
          <Button variant="outline" size="sm" disabled={filters.page >= pages} onClick={() => setFilters({ ...filters, page: filters.page + 1 })}>
            {t('common.next')}
            <ChevronRight aria-hidden />
          </Button>
        </nav>
      </Card>
      {openId && <ExecutionDetail id={openId} flow={flow.data} onClose={() => setOpenId(null)} />}
    </div>
  )
}

function ExecutionDetail({ id, flow, onClose }: { id: string; flow: Flow | undefined; onClose: () => void }) {
  const t = useT()
  const format = useFormat()
  const me = useMe()
  const execution = useExecution(id)
  const cancel = useCancelExecution()
  const nodes = useMemo(() => toEditorNodes(flow?.nodes ?? []), [flow])
  const edges = useMemo(() => toEditorEdges(flow?.connections ?? []), [flow])
  const path = execution.data?.path
  const visited = useMemo(() => (path ? visitedOf(path, edges) : undefined), [path, edges])

  return (
    <Card data-testid="flow-execution">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <CardTitle>
          {execution.data ? (execution.data.contact?.name ?? t('flows.executions.noContact')) : t('flows.executions.one')}
        </CardTitle>
        <div className="flex items-center gap-2">
          {execution.data && CANCELLABLE.includes(execution.data.status) && canManageFlows(me.data) && (
            <Button
              variant="outline"
              loading={cancel.isPending}
              onClick={() =>
                cancel.mutate(id, {
                  onSuccess: () => toast(t('flows.executions.cancelled')),
                  onError: (error) => toast(errorMessage(error, t), 'error'),
                })
              }
              data-testid="flow-execution-cancel"
            >
              <Ban aria-hidden />
              {t('flows.executions.cancel')}
            </Button>
          )}
          <Button variant="ghost" onClick={onClose}>
            {t('common.close')}
          </Button>
        </div>
      </CardHeader>
      <CardContent>
        {execution.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : execution.isError ? (
          <Alert>{errorMessage(execution.error, t)}</Alert>
        ) : (
          <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
            <div className="h-[55vh] min-h-[420px]">
              <FlowCanvas nodes={nodes} edges={edges} readOnly visited={visited} />
            </div>
            <div className="grid content-start gap-3">
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-500">{t('flows.executions.col.status')}</dt>
                <dd>
                  <StatusBadge status={execution.data.status} />
                </dd>
                <dt className="text-slate-500">{t('flows.executions.col.started')}</dt>
                <dd>{format.dateTime(execution.data.startedAt)}</dd>
                {execution.data.finishedAt && (
                  <>
                    <dt className="text-slate-500">{t('flows.executions.col.finished')}</dt>
                    <dd>{format.dateTime(execution.data.finishedAt)}</dd>
                  </>
                )}
                {execution.data.waitingUntil && (
                  <>
                    <dt className="text-slate-500">{t('flows.executions.waiting')}</dt>
                    <dd>{format.dateTime(execution.data.waitingUntil)}</dd>
                  </>
                )}
                {execution.data.currentNodeId && (
                  <>
                    <dt className="text-slate-500">{t('flows.executions.currentNode')}</dt>
                    <dd className="font-mono">{execution.data.currentNodeId}</dd>
                  </>
                )}
              </dl>
              {execution.data.error && <Alert data-testid="flow-execution-error">{execution.data.error}</Alert>}
              <h3 className="text-sm font-semibold text-slate-900">{t('flows.path.title')}</h3>
              <PathSteps steps={execution.data.path ?? []} />
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  )
}
