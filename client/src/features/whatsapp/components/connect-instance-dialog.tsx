import { useEffect, useRef, useState, type FormEvent } from 'react'
import { CircleCheck, QrCode, RefreshCw, Smartphone } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useConnectInstance } from '../api/instances'
import type { Instance } from '../api/types'
import { InstanceStatusBadge } from './instance-status-badge'

// Long enough to read "Conectado!", short enough not to be in the way.
const CLOSE_AFTER_CONNECT_MS = 1500

/**
 * Starts a connection and shows the QR code (or the pairing code). `instance` comes from the
 * query cache, which `instance-status` socket events keep current: a refreshed QR replaces the
 * old one, and "open" shows success and closes the dialog.
 */
export function ConnectInstanceDialog({ instance }: { instance: Instance }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [phone, setPhone] = useState('')
  const connect = useConnectInstance(instance.id)
  const connected = instance.connectionStatus === 'open'
  const announced = useRef(false)

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) {
      announced.current = false
      setPhone('')
      connect.reset()
      connect.mutate(undefined)
    }
  }

  useEffect(() => {
    if (!open || !connected || announced.current) return
    announced.current = true
    toast(t('whatsapp.connectedToast', { name: instance.instanceName }))
    const timer = setTimeout(() => setOpen(false), CLOSE_AFTER_CONNECT_MS)
    return () => clearTimeout(timer)
  }, [open, connected, instance.instanceName, t])

  function pair(event: FormEvent) {
    event.preventDefault()
    const digits = phone.replace(/\D/g, '')
    if (digits.length >= 10) connect.mutate(digits)
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* The dialog stays mounted once connected, so it can show the success before closing. */}
      {!connected && (
        <DialogTrigger asChild>
          <Button size="sm" data-testid="instance-connect-button">
            <QrCode aria-hidden />
            {t('whatsapp.connect')}
          </Button>
        </DialogTrigger>
      )}
      <DialogContent closeLabel={t('common.close')} className="max-w-md" data-testid="instance-connect-dialog">
        <DialogHeader>
          <DialogTitle>{t('whatsapp.connectTitle', { name: instance.instanceName })}</DialogTitle>
          <DialogDescription>{t('whatsapp.connectBody')}</DialogDescription>
        </DialogHeader>
        <div className="flex justify-center">
          <InstanceStatusBadge status={instance.connectionStatus} />
        </div>
        {connected ? (
          <div className="flex flex-col items-center gap-2 py-6 text-center" data-testid="instance-connected">
            <CircleCheck className="size-14 text-emerald-600" aria-hidden />
            <p className="text-lg font-semibold text-slate-900">{t('whatsapp.connectedTitle')}</p>
            {instance.phoneNumber && <p className="text-sm text-slate-500">+{instance.phoneNumber}</p>}
          </div>
        ) : (
          <>
            {connect.error != null && <Alert>{errorMessage(connect.error, t)}</Alert>}
            {instance.pairingCode ? (
              <div className="grid gap-2 text-center" data-testid="instance-pairing-code">
                <p className="text-sm text-slate-600">{t('whatsapp.pairingCodeHelp')}</p>
                <p className="font-mono text-3xl font-bold tracking-[0.3em] text-slate-900">{instance.pairingCode}</p>
              </div>
            ) : instance.qrCode ? (
              <figure className="grid justify-items-center gap-2">
                <img
                  src={instance.qrCode}
                  alt={t('whatsapp.qrAlt')}
                  className="size-64 rounded-lg border border-slate-200 bg-white p-2"
                  data-testid="instance-qr-image"
                />
                <figcaption className="text-xs text-slate-500">{t('whatsapp.qrHelp')}</figcaption>
              </figure>
            ) : connect.isPending || instance.connectionStatus === 'connecting' ? (
              <Spinner label={t('whatsapp.waitingQr')} className="h-64" />
            ) : (
              <div className="flex h-40 flex-col items-center justify-center gap-3">
                <p className="text-sm text-slate-500">{t('whatsapp.noQr')}</p>
                <Button variant="outline" size="sm" onClick={() => connect.mutate(undefined)}>
                  <RefreshCw aria-hidden />
                  {t('whatsapp.newQr')}
                </Button>
              </div>
            )}
            <form onSubmit={pair} className="grid gap-2 border-t border-slate-200 pt-4">
              <FormField label={t('whatsapp.pairingPhone')} hint={t('whatsapp.pairingPhoneHint')}>
                <Input
                  name="phoneNumber"
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                  placeholder="5511999998888"
                  value={phone}
                  onChange={(event) => setPhone(event.target.value)}
                />
              </FormField>
              <Button type="submit" variant="outline" disabled={phone.replace(/\D/g, '').length < 10 || connect.isPending}>
                <Smartphone aria-hidden />
                {t('whatsapp.connectWithCode')}
              </Button>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}
