import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { useT } from '@/lib/i18n'
import { useFunnels } from '../../api/funnels'
import type { Funnel } from '../../api/types'
import { FunnelDetailsForm, NewFunnelForm } from './funnel-forms'
import { StageList } from './stage-list'

type Props = {
  /** The funnel on screen; absent when the company has none. */
  funnel?: Funnel
  funnels: Funnel[]
  onClose: () => void
  onSelectFunnel?: (funnelId: string) => void
}

/** Structure of the funnels (admins and coordinators): the funnel on screen, its stages, new funnels. */
export function FunnelSettingsDialog({ funnel, onClose, onSelectFunnel }: Props) {
  const t = useT()
  // The live list, so stage edits and reorders show as soon as they are made.
  const funnels = useFunnels()
  const current = funnel && (funnels.data?.find((item) => item.id === funnel.id) ?? funnel)
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={t('common.close')} className="max-w-3xl" data-testid="funnel-settings-dialog">
        <DialogHeader>
          <DialogTitle>{t('funnels.settingsTitle')}</DialogTitle>
          <DialogDescription>{t('funnels.settingsDescription')}</DialogDescription>
        </DialogHeader>
        {current && (
          <>
            <FunnelDetailsForm key={current.id} funnel={current} onDeleted={onClose} />
            <StageList funnel={current} />
          </>
        )}
        <NewFunnelForm onCreated={(id) => (onSelectFunnel ? onSelectFunnel(id) : onClose())} />
      </DialogContent>
    </Dialog>
  )
}
