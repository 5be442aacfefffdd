import { RefreshCw, Smartphone, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { useCheckInstance, useDeleteInstance } from '../api/instances'
import type { Instance } from '../api/types'
import { ConnectInstanceDialog } from './connect-instance-dialog'
import { InstanceDetailsDialog } from './instance-details-dialog'
import { InstanceStatusBadge } from './instance-status-badge'

function DeleteInstanceDialog({ instance }: { instance: Instance }) {
  const t = useT()
  const remove = useDeleteInstance()
  return (
    <ConfirmDestructiveDialog
      icon={<Trash2 aria-hidden />}
      title={t('whatsapp.deleteInstanceTitle', { name: instance.instanceName })}
      description={t('whatsapp.deleteInstanceBody')}
      confirmLabel={t('common.remove')}
      testId="instance-delete"
      pending={remove.isPending}
      error={remove.error}
      onReset={() => remove.reset()}
      onConfirm={(close) =>
        remove.mutate(instance.id, {
          onSuccess: () => {
            toast(t('whatsapp.instanceDeleted'))
            close()
          },
        })
      }
    />
  )
}

function CheckButton({ instance }: { instance: Instance }) {
  const t = useT()
  const check = useCheckInstance(instance.id)
  return (
    <Button
      size="sm"
      variant="outline"
      loading={check.isPending}
      onClick={() =>
        check.mutate(undefined, {
          onSuccess: (result) => toast(t(`whatsapp.status.${result.connectionStatus}`)),
          onError: (error) => toast(errorMessage(error, t), 'error'),
        })
      }
      data-testid="instance-check-button"
    >
      <RefreshCw aria-hidden />
      {t('whatsapp.check')}
    </Button>
  )
}

type Props = { instances: Instance[]; canManage: boolean; isAdmin: boolean }

export function InstancesGrid({ instances, canManage, isAdmin }: Props) {
  const t = useT()
  return (
    <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" data-testid="instances">
      {instances.map((instance) => {
        const isOpen = instance.connectionStatus === 'open'
        return (
          <li key={instance.id}>
            <Card className="flex h-full flex-col gap-4 p-5" data-testid="instance-card" data-instance-name={instance.instanceName}>
              <div className="flex items-start gap-3">
                <span
                  className={cn(
                    'flex size-11 shrink-0 items-center justify-center rounded-full',
                    isOpen ? 'bg-emerald-100 text-emerald-700' : 'bg-slate-100 text-slate-500',
                  )}
                >
                  <Smartphone className="size-5" aria-hidden />
                </span>
                <div className="grid min-w-0 flex-1 gap-1">
                  <h3 className="truncate font-semibold text-slate-900" title={instance.instanceName}>
                    {instance.instanceName}
                  </h3>
                  <div>
                    <InstanceStatusBadge status={instance.connectionStatus} />
                  </div>
                </div>
              </div>
              <dl className="grid gap-0.5 text-sm">
                <div className="flex gap-2">
                  <dt className="sr-only">{t('whatsapp.phone')}</dt>
                  <dd className="truncate text-slate-700 tabular-nums">
                    {instance.phoneNumber ? `+${instance.phoneNumber}` : t('whatsapp.noPhone')}
                  </dd>
                </div>
                {instance.profileName && (
                  <div className="flex gap-2">
                    <dt className="sr-only">{t('whatsapp.profileName')}</dt>
                    <dd className="truncate text-slate-500">{instance.profileName}</dd>
                  </div>
                )}
                <div className="flex gap-2">
                  <dt className="sr-only">{t('whatsapp.provider')}</dt>
                  <dd className="text-xs text-slate-400">{t(`whatsapp.providerName.${instance.provider}`)}</dd>
                </div>
              </dl>
              <div className="mt-auto flex items-center gap-2 border-t border-slate-100 pt-3">
                <div className="flex flex-wrap gap-2">
                  {canManage && <ConnectInstanceDialog instance={instance} />}
                  {canManage && <CheckButton instance={instance} />}
                </div>
                <div className="ml-auto flex shrink-0">
                  {isAdmin && <InstanceDetailsDialog instance={instance} />}
                  {isAdmin && <DeleteInstanceDialog instance={instance} />}
                </div>
              </div>
            </Card>
          </li>
        )
      })}
    </ul>
  )
}
