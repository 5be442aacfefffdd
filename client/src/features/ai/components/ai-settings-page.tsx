import { Link } from 'react-router'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useAiInstances } from '../api/instances'
import { useAiStatus } from '../api/status'
import { useAiPermissions } from '../hooks'
import { AiInstanceCard } from './ai-instance-card'
import { AiStatusCard } from './ai-status-card'

/** Configurações > IA: the company's AI status and key, this month's usage, each number's settings. */
export function AiSettingsPage() {
  const t = useT()
  const { isAdmin, canManage } = useAiPermissions()
  const status = useAiStatus()
  const instances = useAiInstances()

  return (
    <div className="grid grid-cols-1 gap-6" data-testid="ai-settings-page">
      {status.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : status.isError ? (
        <Alert>{errorMessage(status.error, t)}</Alert>
      ) : (
        <AiStatusCard status={status.data} isAdmin={isAdmin} />
      )}
      <Card>
        <CardHeader>
          <CardTitle>{t('ai.instances.title')}</CardTitle>
          <CardDescription>{t('ai.instances.description')}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {!canManage && <Alert tone="info">{t('ai.instances.readOnly')}</Alert>}
          {instances.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : instances.isError ? (
            <Alert>{errorMessage(instances.error, t)}</Alert>
          ) : instances.data.length === 0 ? (
            <div className="grid justify-items-start gap-2 text-sm text-slate-500" data-testid="ai-instances-empty">
              <p>{t('ai.instances.empty')}</p>
              <Link to="/connections" className={buttonVariants({ variant: 'outline', size: 'sm' })}>
                {t('ai.instances.toConnections')}
              </Link>
            </div>
          ) : (
            instances.data.map((instance) => <AiInstanceCard key={instance.instanceId} instance={instance} canManage={canManage} />)
          )}
        </CardContent>
      </Card>
    </div>
  )
}
