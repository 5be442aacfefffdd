import { lazy, Suspense, useState } from 'react'
import { Kanban } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { useT } from '@/lib/i18n'
import { useFunnelPermissions } from '../hooks/use-funnel-permissions'

const FunnelSettingsDialog = lazy(() => import('./settings/funnel-settings-dialog').then((module) => ({ default: module.FunnelSettingsDialog })))

/** Every company starts with a funnel; this shows only if all were deleted. */
export function NoFunnels() {
  const t = useT()
  const { canManageFunnels } = useFunnelPermissions()
  const [open, setOpen] = useState(false)
  return (
    <Card className="mx-auto mt-8 flex max-w-lg flex-col items-center gap-3 p-10 text-center" data-testid="funnels-empty">
      <Kanban className="size-10 text-emerald-700" aria-hidden />
      <h1 className="text-xl font-semibold text-slate-900">{t('funnels.emptyTitle')}</h1>
      <p className="text-sm text-slate-500">{t('funnels.emptyBody')}</p>
      {canManageFunnels && (
        <Button onClick={() => setOpen(true)} data-testid="funnel-settings">
          {t('funnels.create')}
        </Button>
      )}
      <Suspense fallback={null}>{open && <FunnelSettingsDialog funnels={[]} onClose={() => setOpen(false)} />}</Suspense>
    </Card>
  )
}
