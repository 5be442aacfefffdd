import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { PlugZap, Smartphone } from 'lucide-react'
import { PageHeader } from '@/components/page-header'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useCredentials } from '@/features/whatsapp/api/credentials'
import { useInstances } from '@/features/whatsapp/api/instances'
import { CreateInstanceDialog } from '@/features/whatsapp/components/create-instance-dialog'
import { InstancesGrid } from '@/features/whatsapp/components/instances-grid'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

function EmptyState({ icon, title, body, action }: { icon: ReactNode; title: string; body: string; action?: ReactNode }) {
  return (
    <Card className="mx-auto flex max-w-lg flex-col items-center gap-3 p-10 text-center" data-testid="connections-empty">
      <span className="flex size-14 items-center justify-center rounded-full bg-emerald-50 text-emerald-700">{icon}</span>
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      <p className="text-sm text-slate-500">{body}</p>
      {action}
    </Card>
  )
}

export default function ConnectionsRoute() {
  const t = useT()
  const { data: me } = useMe()
  const isAdmin = isCompanyAdmin(me)
  const canManage = isAdmin || (me?.permissions.canManageWhatsApp ?? false)
  const instances = useInstances()
  // Credentials are admin-only at the API; others just see the instances.
  const credentials = useCredentials({ enabled: isAdmin })
  const activeProviders = [...new Set((credentials.data ?? []).filter((item) => item.isActive).map((item) => item.provider))]
  const noCredential = isAdmin && credentials.isSuccess && activeProviders.length === 0

  return (
    <div className="grid gap-6" data-testid="connections-page">
      <PageHeader
        title={t('whatsapp.connectionsTitle')}
        description={t('whatsapp.connectionsSubtitle')}
        actions={isAdmin && activeProviders.length > 0 ? <CreateInstanceDialog providers={activeProviders} /> : undefined}
      />
      {noCredential && (
        <EmptyState
          icon={<PlugZap className="size-7" aria-hidden />}
          title={t('whatsapp.noCredentialTitle')}
          body={t('whatsapp.noCredentialBody')}
          action={
            <Link to="/settings/whatsapp" className={buttonVariants()} data-testid="connections-to-providers">
              {t('whatsapp.toProviders')}
            </Link>
          }
        />
      )}
      {instances.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : instances.isError ? (
        <Alert>{errorMessage(instances.error, t)}</Alert>
      ) : instances.data.length > 0 ? (
        <InstancesGrid instances={instances.data} canManage={canManage} isAdmin={isAdmin} />
      ) : noCredential ? null : (
        <EmptyState
          icon={<Smartphone className="size-7" aria-hidden />}
          title={t('whatsapp.noInstancesTitle')}
          body={isAdmin ? t('whatsapp.noInstancesBody') : t('whatsapp.noInstancesMember')}
        />
      )}
    </div>
  )
}
