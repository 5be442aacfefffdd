import { useState } from 'react'
import { Info } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { useInstance } from '../api/instances'
import type { Instance } from '../api/types'
import { CopyButton } from './copy-button'
import { InstanceStatusBadge } from './instance-status-badge'

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const t = useT()
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={testId}>{label}</Label>
      <div className="flex gap-2">
        <Input
          id={testId}
          readOnly
          value={value}
          className="font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
          data-testid={testId}
        />
        <CopyButton value={value} label={t('whatsapp.copy', { what: label })} testId={`${testId}-copy`} />
      </div>
    </div>
  )
}

/** Admins: everything about an instance, and the webhook to configure a gateway by hand. */
export function InstanceDetailsDialog({ instance }: { instance: Instance }) {
  const t = useT()
  const format = useFormat()
  const [open, setOpen] = useState(false)
  const detail = useInstance(instance.id, { enabled: open })
  const rows: [string, string][] = [
    [t('whatsapp.provider'), t(`whatsapp.providerName.${instance.provider}`)],
    [t('whatsapp.publicId'), instance.publicId],
    [t('whatsapp.phone'), instance.phoneNumber ? `+${instance.phoneNumber}` : '—'],
    [t('whatsapp.profileName'), instance.profileName ?? '—'],
    [t('whatsapp.col.created'), format.dateTime(instance.createdAt)],
  ]
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t('whatsapp.details')} title={t('whatsapp.details')} data-testid="instance-details">
          <Info aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} data-testid="instance-details-dialog">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            {instance.instanceName} <InstanceStatusBadge status={instance.connectionStatus} />
          </DialogTitle>
          <DialogDescription>{t('whatsapp.detailsBody')}</DialogDescription>
        </DialogHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="truncate text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
        <div className="grid gap-3 border-t border-slate-200 pt-4">
          <h3 className="text-sm font-semibold text-slate-900">{t('whatsapp.webhookTitle')}</h3>
          {detail.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : detail.isError ? (
            <Alert>{errorMessage(detail.error, t)}</Alert>
          ) : detail.data.webhook ? (
            <>
              <p className="text-xs text-slate-500">{t('whatsapp.webhookHelp', { header: detail.data.webhook.header })}</p>
              <CopyField label={t('whatsapp.webhookUrl')} value={detail.data.webhook.url} testId="instance-webhook-url" />
              <CopyField label={t('whatsapp.webhookSecret')} value={detail.data.webhook.secret} testId="instance-webhook-secret" />
            </>
          ) : (
            <p className="text-sm text-slate-500">{t('whatsapp.webhookAdminsOnly')}</p>
          )}
        </div>
      </DialogContent>
    </Dialog>
  )
}
