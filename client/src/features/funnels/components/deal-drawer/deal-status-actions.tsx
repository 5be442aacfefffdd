import { useState } from 'react'
import { RotateCcw, ThumbsDown, Trophy } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { useReopenDeal, useUpdateDeal } from '../../api/deals'
import type { Deal } from '../../api/types'
import { ReasonDialog } from '../reason-dialog'

type Props = { deal: Deal; canEdit: boolean; canReopen: boolean }

/** OPEN → WON / LOST (with a reason); a closed deal is final unless an admin reopens it. */
export function DealStatusActions({ deal, canEdit, canReopen }: Props) {
  const t = useT()
  const format = useFormat()
  const update = useUpdateDeal(deal.id)
  const reopen = useReopenDeal(deal.id)
  const [asking, setAsking] = useState<'lost' | 'reopen' | null>(null)

  const close = () => {
    setAsking(null)
    update.reset()
    reopen.reset()
  }

  return (
    <div className="grid gap-2" data-testid="deal-status-actions">
      {deal.status === 'OPEN' ? (
        canEdit && (
          <div className="flex flex-wrap gap-2">
            <Button
              size="sm"
              className="bg-emerald-600 hover:bg-emerald-700"
              loading={update.isPending && update.variables?.status === 'WON'}
              onClick={() => update.mutate({ status: 'WON' })}
              data-testid="deal-mark-won"
            >
              <Trophy aria-hidden />
              {t('deals.markWon')}
            </Button>
            <Button size="sm" variant="outline" className="text-rose-700" onClick={() => setAsking('lost')} data-testid="deal-mark-lost">
              <ThumbsDown aria-hidden />
              {t('deals.markLost')}
            </Button>
          </div>
        )
      ) : (
        <div className="grid gap-2 text-sm text-slate-700">
          {deal.closedAt && <p>{t(deal.status === 'WON' ? 'deals.wonAt' : 'deals.lostAt', { date: format.dateTime(deal.closedAt) })}</p>}
          {deal.lostReason && (
            <p data-testid="deal-lost-reason">
              <span className="font-medium">{t('deals.lostReason')}:</span> {deal.lostReason}
            </p>
          )}
          {canReopen ? (
            <Button size="sm" variant="outline" className="w-fit" onClick={() => setAsking('reopen')} data-testid="deal-reopen">
              <RotateCcw aria-hidden />
              {t('deals.reopen')}
            </Button>
          ) : (
            <p className="text-xs text-slate-500">{t('deals.closedHint')}</p>
          )}
        </div>
      )}
      {asking === null && update.isError && <Alert>{errorMessage(update.error, t)}</Alert>}

      <ReasonDialog
        open={asking === 'lost'}
        onOpenChange={(open) => !open && close()}
        title={t('deals.lostTitle')}
        description={t('deals.lostDescription', { title: deal.title })}
        label={t('deals.lostReason')}
        confirmLabel={t('deals.markLost')}
        pending={update.isPending}
        error={update.error}
        onConfirm={(lostReason) => update.mutate({ status: 'LOST', lostReason }, { onSuccess: close })}
        testId="lost-reason"
      />
      <ReasonDialog
        open={asking === 'reopen'}
        onOpenChange={(open) => !open && close()}
        title={t('deals.reopenTitle')}
        description={t('deals.reopenDescription')}
        label={t('deals.reopenReason')}
        confirmLabel={t('deals.reopen')}
        pending={reopen.isPending}
        error={reopen.error}
        onConfirm={(reason) => reopen.mutate(reason, { onSuccess: close })}
        testId="reopen-reason"
      />
    </div>
  )
}
