import { useEffect } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { defaultFunnel, useFunnels } from '../api/funnels'
import { FunnelWorkspace } from './funnel-workspace'
import { NoFunnels } from './no-funnels'

/** /funnels/:funnelId? — a bare /funnels (or a funnel that no longer exists) shows the default one. */
export function FunnelsPage({ funnelId }: { funnelId: string | undefined }) {
  const t = useT()
  const funnels = useFunnels()
  const navigate = useNavigate()
  const { search } = useLocation()
  const current = funnels.data?.find((funnel) => funnel.id === funnelId)
  const fallback = funnels.data && defaultFunnel(funnels.data)

  useEffect(() => {
    // The URL always names the funnel on screen, so it can be shared and reloaded.
    if (!current && fallback) void navigate(`/funnels/${fallback.id}${search}`, { replace: true })
  }, [current, fallback, navigate, search])

  if (funnels.isPending) return <Spinner label={t('common.loading')} />
  if (funnels.isError) {
    return (
      <div className="grid gap-3">
        <Alert>{errorMessage(funnels.error, t)}</Alert>
        <Button variant="outline" className="w-fit" onClick={() => void funnels.refetch()}>
          {t('common.retry')}
        </Button>
      </div>
    )
  }
  if (funnels.data.length === 0) return <NoFunnels />
  if (!current) return <Spinner label={t('common.loading')} />
  return (
    <FunnelWorkspace
      key={current.id}
      funnel={current}
      funnels={funnels.data}
      onSelectFunnel={(id) => void navigate(`/funnels/${id}`)}
    />
  )
}
