import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { Trash2, User } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from '@/components/ui/sheet'
import { Spinner } from '@/components/ui/spinner'
import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeal, useDeleteDeal } from '../../api/deals'
import type { Deal, Funnel } from '../../api/types'
import { useFunnelPermissions } from '../../hooks/use-funnel-permissions'
import { useMoney } from '../../format'
import { StatusBadge } from '../deal-badges'
import { DealActivity } from './deal-activity'
import { DealAttachments } from './deal-attachments'
import { DealFieldsForm } from './deal-fields-form'
import { DealNotes } from './deal-notes'
import { DealStatusActions } from './deal-status-actions'
import { DuplicateDealDialog } from './duplicate-deal-dialog'

type Props = { dealId: string; funnels: Funnel[]; onClose: () => void }

/** The deal behind `?deal=<id>`, as a sheet on the right of the board. */
export function DealDrawer({ dealId, funnels, onClose }: Props) {
  const t = useT()
  const deal = useDeal(dealId)
  return (
    <Sheet open onOpenChange={(open) => !open && onClose()}>
      {/* Only the loaded deal has a description; otherwise say there is none (Radix warns). */}
      <SheetContent closeLabel={t('common.close')} data-testid="deal-drawer" {...(deal.isSuccess ? {} : { 'aria-describedby': undefined })}>
        {deal.isPending ? (
          <>
            <SheetTitle className="sr-only">{t('deals.drawerTitle')}</SheetTitle>
            <Spinner label={t('common.loading')} />
          </>
        ) : deal.isError ? (
          <div className="grid gap-3 p-6">
            <SheetTitle>{t('deals.drawerTitle')}</SheetTitle>
            <Alert>{deal.error instanceof ApiError && deal.error.status === 404 ? t('deals.notFound') : errorMessage(deal.error, t)}</Alert>
          </div>
        ) : (
          <DealDetails key={deal.data.id} deal={deal.data} funnels={funnels} onDeleted={onClose} />
        )}
      </SheetContent>
    </Sheet>
  )
}

function DealDetails({ deal, funnels, onDeleted }: { deal: Deal; funnels: Funnel[]; onDeleted: () => void }) {
  const t = useT()
  const money = useMoney()
  const { canEditDeals, canReopen } = useFunnelPermissions()
  const remove = useDeleteDeal(deal.id)
  const stage = funnels.flatMap((funnel) => funnel.stages).find((item) => item.id === deal.stageId)
  const closed = deal.status !== 'OPEN'
  return (
    <>
      <SheetHeader>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={deal.status} />
          <span className="flex items-center gap-1.5 text-xs text-slate-600" data-testid="deal-stage">
            <span className="size-2 rounded-full" style={{ backgroundColor: stage?.color ?? '#6B7280' }} aria-hidden />
            {t('deals.stageInFunnel', { stage: deal.stage.name, funnel: deal.stage.funnel.name })}
          </span>
        </div>
        <SheetTitle className="break-words" data-testid="deal-drawer-title">
          {deal.title}
        </SheetTitle>
        <SheetDescription className="flex flex-wrap items-center gap-3">
          <span className="font-semibold text-emerald-800">{money(deal.value, deal.currency)}</span>
          {deal.contact ? (
            <Link to={`/contacts/${encodeURIComponent(deal.contact.id)}`} className="flex items-center gap-1 text-emerald-700 hover:underline" data-testid="deal-contact-link">
              <User className="size-3.5" aria-hidden />
              {deal.contact.name ?? deal.contact.phoneNumber}
            </Link>
          ) : (
            <span>{t('deals.noContact')}</span>
          )}
        </SheetDescription>
      </SheetHeader>
      <div className="grid gap-6 p-6">
        <Section title={t('deals.statusSection')}>
          <DealStatusActions deal={deal} canEdit={canEditDeals} canReopen={canReopen} />
        </Section>
        <Section title={t('deals.details')}>
          {closed && canEditDeals && <p className="text-xs text-slate-500">{t('deals.closedHint')}</p>}
          <DealFieldsForm deal={deal} readOnly={!canEditDeals || closed} />
        </Section>
        <Section title={t('deals.notes')}>
          <DealNotes dealId={deal.id} canEdit={canEditDeals} />
        </Section>
        <Section title={t('deals.attachments')}>
          <DealAttachments dealId={deal.id} canEdit={canEditDeals} />
        </Section>
        <Section title={t('deals.activity')}>
          <DealActivity dealId={deal.id} />
        </Section>
        {canEditDeals && (
          <div className="flex items-center justify-between gap-2 border-t border-slate-200 pt-4">
            <DuplicateDealDialog deal={deal} funnels={funnels} />
            <ConfirmDestructiveDialog
              icon={<Trash2 aria-hidden />}
              title={t('deals.delete')}
              description={t('deals.deleteBody', { title: deal.title })}
              confirmLabel={t('deals.deleteConfirm')}
              testId="deal-delete"
              pending={remove.isPending}
              error={remove.error}
              onReset={remove.reset}
              onConfirm={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    toast(t('deals.deleted', { title: deal.title }))
                    onDeleted()
                  },
                })
              }
            />
          </div>
        )}
      </div>
    </>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="grid gap-3">
      <h3 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {children}
    </section>
  )
}
