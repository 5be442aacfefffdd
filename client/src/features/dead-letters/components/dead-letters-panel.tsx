import { useState } from 'react'
import { ChevronLeft, ChevronRight, RotateCcw, Trash2 } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from '@/components/ui/sheet'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import {
  DEAD_LETTER_QUEUES,
  DEAD_LETTER_STATUSES,
  useDeadLetter,
  useDeadLetters,
  useDiscardDeadLetter,
  useRetryDeadLetter,
  type DeadLetterQueue,
  type DeadLetterStatus,
  type DeadLetterStatusFilter,
} from '../api/dead-letters'

const PAGE_SIZE = 20
const TONES: Record<DeadLetterStatus, 'danger' | 'success' | 'neutral'> = {
  DEAD: 'danger',
  RETRIED: 'success',
  DISCARDED: 'neutral',
}

function StatusBadge({ status }: { status: DeadLetterStatus }) {
  const t = useT()
  return (
    <Badge tone={TONES[status]} data-testid="dead-letter-status">
      {t(`deadLetters.status.${status}`)}
    </Badge>
  )
}

/** The company's failed jobs (admins only): filter by queue and status, open one, retry or discard it. */
export function DeadLettersPanel() {
  const t = useT()
  const format = useFormat()
  const [filters, setFilters] = useState<{ queue: DeadLetterQueue | ''; status: DeadLetterStatusFilter; page: number }>({
    queue: '',
    status: 'DEAD',
    page: 1,
  })
  const [openId, setOpenId] = useState<string | null>(null)
  const letters = useDeadLetters({ ...filters, limit: PAGE_SIZE })
  const pages = letters.data?.pagination?.pages ?? 1
  const counts = letters.data?.countsByQueue ?? {}

  return (
    <div className="grid grid-cols-1 gap-4" data-testid="dead-letters">
      <div className="flex flex-wrap gap-4">
        <div className="grid gap-1.5">
          <Label htmlFor="dead-letters-queue">{t('deadLetters.filter.queue')}</Label>
          <Select
            id="dead-letters-queue"
            data-testid="dead-letters-queue"
            value={filters.queue}
            onChange={(event) => setFilters({ ...filters, queue: event.target.value as DeadLetterQueue | '', page: 1 })}
          >
            <option value="">{t('deadLetters.filter.allQueues')}</option>
            {DEAD_LETTER_QUEUES.map((queue) => (
              <option key={queue} value={queue}>
                {t('deadLetters.queueCount', { queue, count: counts[queue] ?? 0 })}
              </option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="dead-letters-status">{t('deadLetters.filter.status')}</Label>
          <Select
            id="dead-letters-status"
            data-testid="dead-letters-status"
            value={filters.status}
            onChange={(event) =>
              setFilters({ ...filters, status: event.target.value as DeadLetterStatusFilter, page: 1 })
            }
          >
            {DEAD_LETTER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`deadLetters.status.${status}`)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {letters.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : letters.isError ? (
        <Alert>{errorMessage(letters.error, t)}</Alert>
      ) : letters.data.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="dead-letters-empty">
          {t('deadLetters.empty')}
        </p>
      ) : (
        <Table data-testid="dead-letters-table" aria-busy={letters.isPlaceholderData || undefined}>
          <TableHeader>
            <TableRow>
              <TableHead>{t('deadLetters.col.queue')}</TableHead>
              <TableHead>{t('deadLetters.col.job')}</TableHead>
              <TableHead>{t('deadLetters.col.error')}</TableHead>
              <TableHead className="text-right">{t('deadLetters.col.attempts')}</TableHead>
              <TableHead>{t('deadLetters.col.failedAt')}</TableHead>
              <TableHead>{t('deadLetters.col.status')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {letters.data.data.map((letter) => (
              <TableRow key={letter.id} data-testid="dead-letter-row">
                <TableCell className="whitespace-nowrap">{letter.queue}</TableCell>
                <TableCell>
                  <button
                    type="button"
                    className="font-medium text-emerald-800 underline-offset-2 hover:underline"
                    onClick={() => setOpenId(letter.id)}
                    data-testid="dead-letter-open"
                  >
                    {letter.jobName}
                  </button>
                </TableCell>
                <TableCell className="max-w-md truncate" title={letter.errorMessage}>
                  <span className="text-slate-400">{letter.errorType}: </span>
                  {letter.errorMessage}
                </TableCell>
                <TableCell className="text-right tabular-nums">{format.number(letter.attempts)}</TableCell>
                <TableCell className="whitespace-nowrap">{format.dateTime(letter.failedAt)}</TableCell>
                <TableCell>
                  <StatusBadge status={letter.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav className="flex items-center justify-end gap-2 text-sm text-slate-600" aria-label={t('common.pageOf', { page: filters.page, pages })}>
        <span>{t('common.pageOf', { page: filters.page, pages: Math.max(pages, 1) })}</span>
        <Button
          variant="outline"
          size="sm"
          disabled={filters.page <= 1}
          onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
        >
          <ChevronLeft aria-hidden />
          {t('common.previous')}
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={filters.page >= pages}
          onClick={() => setFilters({ ...filters, page: filters.page + 1 })}
        >
          {t('common.next')}
          <ChevronRight aria-hidden />
        </Button>
      </nav>
      <DeadLetterSheet id={openId} onClose={() => setOpenId(null)} />
    </div>
  )
}

function DeadLetterSheet({ id, onClose }: { id: string | null; onClose: () => void }) {
  const t = useT()
  const format = useFormat()
  const letter = useDeadLetter(id)
  const retry = useRetryDeadLetter()
  const discard = useDiscardDeadLetter()
  const busy = retry.isPending || discard.isPending
  const act = (mutation: typeof retry, done: string) => {
    if (!id) return
    mutation.mutate(id, {
      onSuccess: () => toast(done),
      onError: (error) => toast(errorMessage(error, t), 'error'),
    })
  }
  return (
    <Sheet open={id !== null} onOpenChange={(open) => !open && onClose()}>
      <SheetContent closeLabel={t('common.close')} data-testid="dead-letter-sheet">
        <SheetHeader>
          <SheetTitle>{letter.data?.jobName ?? t('deadLetters.title')}</SheetTitle>
          <SheetDescription>{t('deadLetters.subtitle')}</SheetDescription>
        </SheetHeader>
        <div className="grid gap-5 p-6">
          {letter.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : letter.isError ? (
            <Alert>{errorMessage(letter.error, t)}</Alert>
          ) : (
            <>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                <dt className="text-slate-500">{t('deadLetters.col.queue')}</dt>
                <dd>{letter.data.queue}</dd>
                <dt className="text-slate-500">{t('deadLetters.jobId')}</dt>
                <dd className="break-all">{letter.data.jobId ?? '—'}</dd>
                <dt className="text-slate-500">{t('deadLetters.col.attempts')}</dt>
                <dd>{format.number(letter.data.attempts)}</dd>
                <dt className="text-slate-500">{t('deadLetters.col.failedAt')}</dt>
                <dd>{format.dateTime(letter.data.failedAt)}</dd>
                <dt className="text-slate-500">{t('deadLetters.col.status')}</dt>
                <dd>
                  <StatusBadge status={letter.data.status} />
                  {letter.data.resolvedAt ? (
                    <span className="ml-2 text-slate-500">{format.dateTime(letter.data.resolvedAt)}</span>
                  ) : null}
                </dd>
              </dl>
              <section className="grid gap-2">
                <h3 className="text-sm font-semibold text-slate-900">{t('deadLetters.error')}</h3>
                <p className="text-sm text-red-700" data-testid="dead-letter-error">
                  {letter.data.errorType}: {letter.data.errorMessage}
                </p>
                {letter.data.error.stack ? (
                  <details>
                    <summary className="cursor-pointer text-sm text-slate-500">{t('deadLetters.stack')}</summary>
                    <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-slate-50 p-3 text-xs">{letter.data.error.stack}</pre>
                  </details>
                ) : null}
              </section>
              <section className="grid gap-2">
                <h3 className="text-sm font-semibold text-slate-900">{t('deadLetters.payload')}</h3>
                <pre className="max-h-80 overflow-auto rounded-md bg-slate-50 p-3 text-xs" data-testid="dead-letter-payload">
                  {JSON.stringify(letter.data.payload, null, 2)}
                </pre>
              </section>
              {letter.data.status === 'DEAD' ? (
                <div className="flex gap-2">
                  <Button disabled={busy} onClick={() => act(retry, t('deadLetters.retried'))} data-testid="dead-letter-retry">
                    <RotateCcw aria-hidden />
                    {t('deadLetters.retry')}
                  </Button>
                  <Button
                    variant="outline"
                    disabled={busy}
                    onClick={() => act(discard, t('deadLetters.discarded'))}
                    data-testid="dead-letter-discard"
                  >
                    <Trash2 aria-hidden />
                    {t('deadLetters.discard')}
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </div>
      </SheetContent>
    </Sheet>
  )
}
