import { Copy, History, Plus, Trash2 } from 'lucide-react'
import { Link } from 'react-router'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { PageHeader } from '@/components/page-header'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useMe } from '@/features/auth/api/me'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeleteFlow, useDuplicateFlow, useFlows, useToggleFlow } from '../api/flows'
import type { FlowSummary } from '../api/types'
import { isKnownSubtype, NODE_SPEC } from '../catalogue'
import { executionsPath, flowPath, newFlowPath } from '../paths'
import { canManageFlows } from '../permissions'

/** /automation/flows: every flow of the company with its trigger, state and runs. */
export function FlowsListPage() {
  const t = useT()
  const me = useMe()
  const flows = useFlows()
  const canManage = canManageFlows(me.data)

  return (
    <div data-testid="flows-page">
      <PageHeader
        title={t('flows.title')}
        description={t('flows.subtitle')}
        actions={
          canManage && (
            <Link to={newFlowPath} className={buttonVariants()} data-testid="flow-create">
              <Plus aria-hidden />
              {t('flows.new')}
            </Link>
          )
        }
      />
      {me.data && !canManage && (
        <Alert tone="info" className="mb-4">
          {t('flows.readOnly')}
        </Alert>
      )}
      <Card>
        {flows.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : flows.isError ? (
          <Alert className="m-4">{errorMessage(flows.error, t)}</Alert>
        ) : flows.data.length === 0 ? (
          <p className="p-10 text-center text-sm text-slate-500" data-testid="flows-empty">
            {t('flows.empty')}
          </p>
        ) : (
          <Table data-testid="flows-table">
            <TableHeader>
              <TableRow>
                <TableHead>{t('flows.col.name')}</TableHead>
                <TableHead>{t('flows.col.trigger')}</TableHead>
                <TableHead>{t('flows.col.active')}</TableHead>
                <TableHead className="text-right">{t('flows.col.nodes')}</TableHead>
                <TableHead className="text-right">{t('flows.col.executions')}</TableHead>
                <TableHead>{t('flows.col.lastRun')}</TableHead>
                <TableHead className="sr-only">{t('flows.col.actions')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {flows.data.map((flow) => (
                <FlowRow key={flow.id} flow={flow} canManage={canManage} />
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  )
}

function FlowRow({ flow, canManage }: { flow: FlowSummary; canManage: boolean }) {
  const t = useT()
  const format = useFormat()
  const toggle = useToggleFlow()
  const duplicate = useDuplicateFlow()
  const remove = useDeleteFlow()
  const trigger = flow.triggerType && isKnownSubtype(flow.triggerType) ? t(NODE_SPEC[flow.triggerType].labelKey) : (flow.triggerType ?? '—')
  const isActive = toggle.isPending && toggle.variables ? toggle.variables.isActive : flow.isActive

  return (
    <TableRow data-testid="flow-row">
      <TableCell>
        <Link to={flowPath(flow.id)} className="font-medium text-emerald-800 underline-offset-2 hover:underline" data-testid="flow-open">
          {flow.name}
        </Link>
        {flow.description && <p className="max-w-xs truncate text-xs text-slate-500">{flow.description}</p>}
      </TableCell>
      <TableCell className="whitespace-nowrap">{trigger}</TableCell>
      <TableCell>
        <label className="inline-flex cursor-pointer items-center gap-2 has-disabled:cursor-not-allowed">
          <input
            type="checkbox"
            role="switch"
            className="peer sr-only"
            checked={isActive}
            disabled={!canManage || toggle.isPending}
            aria-label={t('flows.toggle', { name: flow.name })}
            onChange={(event) =>
              toggle.mutate(
                { id: flow.id, isActive: event.target.checked },
                {
                  onSuccess: (saved) => toast(t(saved.isActive ? 'flows.activated' : 'flows.deactivated', { name: flow.name })),
                  onError: (error) => toast(errorMessage(error, t), 'error'),
                },
              )
            }
            data-testid="flow-toggle"
          />
          <span
            aria-hidden
            className="relative h-5 w-9 rounded-full bg-slate-300 transition-colors peer-checked:bg-emerald-600 peer-focus-visible:ring-2 peer-focus-visible:ring-emerald-600 peer-disabled:opacity-50 after:absolute after:top-0.5 after:left-0.5 after:size-4 after:rounded-full after:bg-white after:transition-transform peer-checked:after:translate-x-4"
          />
          <span className="text-xs text-slate-600">{t(isActive ? 'flows.active' : 'flows.inactive')}</span>
        </label>
      </TableCell>
      <TableCell className="text-right tabular-nums">{format.number(flow.nodeCount)}</TableCell>
      <TableCell className="text-right tabular-nums">
        <Link to={executionsPath(flow.id)} className="text-emerald-800 underline-offset-2 hover:underline" data-testid="flow-executions">
          {format.number(flow.executionCount)}
        </Link>
      </TableCell>
      <TableCell className="whitespace-nowrap">{flow.lastExecutedAt ? format.dateTime(flow.lastExecutedAt) : t('flows.neverRan')}</TableCell>
      <TableCell>
        <div className="flex justify-end gap-1">
          <Link
            to={executionsPath(flow.id)}
            className={buttonVariants({ variant: 'ghost', size: 'icon' })}
            aria-label={t('flows.executions.title')}
          >
            <History aria-hidden />
          </Link>
          {canManage && (
            <>
              <Button
                variant="ghost"
                size="icon"
                aria-label={t('flows.duplicate', { name: flow.name })}
                disabled={duplicate.isPending}
                onClick={() =>
                  duplicate.mutate(flow.id, {
                    onSuccess: (copy) => toast(t('flows.duplicated', { name: copy.name })),
                    onError: (error) => toast(errorMessage(error, t), 'error'),
                  })
                }
                data-testid="flow-duplicate"
              >
                <Copy aria-hidden />
              </Button>
              <ConfirmDestructiveDialog
                icon={<Trash2 aria-hidden />}
                title={t('flows.deleteTitle', { name: flow.name })}
                description={t('flows.deleteBody')}
                confirmLabel={t('flows.deleteConfirm')}
                testId="flow-delete"
                pending={remove.isPending}
                error={remove.error}
                onReset={() => remove.reset()}
                onConfirm={(close) =>
                  remove.mutate(flow.id, {
                    onSuccess: () => {
                      toast(t('flows.deleted', { name: flow.name }))
                      close()
                    },
                  })
                }
              />
            </>
          )}
        </div>
      </TableCell>
    </TableRow>
  )
}
