import { useState, type FormEvent } from 'react'
import { Copy } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Select } from '@/components/ui/select'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { isClosingStage } from '../../api/board-cache'
import { useDuplicateDeal } from '../../api/deals'
import type { Deal, Funnel } from '../../api/types'

const openStages = (funnel: Funnel | undefined) => funnel?.stages.filter((stage) => !isClosingStage(stage)) ?? []

export function DuplicateDealDialog({ deal, funnels }: { deal: Deal; funnels: Funnel[] }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" data-testid="deal-duplicate">
          <Copy aria-hidden />
          {t('deals.duplicate')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('deals.duplicateTitle')}</DialogTitle>
          <DialogDescription>{t('deals.duplicateDescription', { title: deal.title })}</DialogDescription>
        </DialogHeader>
        <DuplicateForm deal={deal} funnels={funnels} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  )
}

function DuplicateForm({ deal, funnels, onDone }: { deal: Deal; funnels: Funnel[]; onDone: () => void }) {
  const t = useT()
  const duplicate = useDuplicateDeal(deal.id)
  const [funnelId, setFunnelId] = useState(deal.funnelId)
  const funnel = funnels.find((item) => item.id === funnelId)
  const [stageId, setStageId] = useState(() => openStages(funnel).find((stage) => stage.id === deal.stageId)?.id ?? openStages(funnel)[0]?.id ?? '')

  function chooseFunnel(next: string) {
    setFunnelId(next)
    setStageId(openStages(funnels.find((item) => item.id === next))[0]?.id ?? '')
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!stageId) return
    duplicate.mutate(
      { funnelId, stageId },
      {
        onSuccess: (copy) => {
          toast(t('deals.duplicated', { funnel: copy.stage.funnel.name, stage: copy.stage.name }))
          onDone()
        },
      },
    )
  }

  return (
    <form onSubmit={submit} className="grid gap-4" data-testid="deal-duplicate-form">
      {duplicate.isError && <Alert>{errorMessage(duplicate.error, t)}</Alert>}
      <FormField label={t('deals.funnel')}>
        <Select value={funnelId} onChange={(event) => chooseFunnel(event.target.value)} data-testid="deal-duplicate-funnel">
          {funnels.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </Select>
      </FormField>
      <FormField label={t('deals.stage')}>
        <Select value={stageId} onChange={(event) => setStageId(event.target.value)} data-testid="deal-duplicate-stage">
          {openStages(funnel).map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.name}
            </option>
          ))}
        </Select>
      </FormField>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" disabled={!stageId} loading={duplicate.isPending} data-testid="deal-duplicate-confirm">
          {t('deals.duplicate')}
        </Button>
      </DialogFooter>
    </form>
  )
}
