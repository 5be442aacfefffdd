import { useState, type FormEvent } from 'react'
import { Star, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateFunnel, useDeleteFunnel, useUpdateFunnel } from '../../api/funnels'
import type { Funnel } from '../../api/types'
import { validateFunnelName } from '../../settings-validation'

const FIELDS = ['name', 'color'] as const

function NameColorFields({ name, color, error, onName, onColor, testId }: { name: string; color: string; error?: string; onName: (value: string) => void; onColor: (value: string) => void; testId: string }) {
  const t = useT()
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="min-w-48 flex-1">
        <FormField label={t('funnels.name')} error={error}>
          <Input value={name} maxLength={100} onChange={(event) => onName(event.target.value)} data-testid={`${testId}-name`} />
        </FormField>
      </div>
      <FormField label={t('funnels.color')}>
        <Input type="color" value={color} onChange={(event) => onColor(event.target.value)} className="h-9 w-14 p-1" data-testid={`${testId}-color`} />
      </FormField>
    </div>
  )
}

/** Rename, recolour, make default or delete the funnel on screen. */
export function FunnelDetailsForm({ funnel, onDeleted }: { funnel: Funnel; onDeleted: () => void }) {
  const t = useT()
  const update = useUpdateFunnel()
  const remove = useDeleteFunnel()
  const [name, setName] = useState(funnel.name)
  const [color, setColor] = useState(funnel.color)
  const [error, setError] = useState<string>()

  function submit(event: FormEvent) {
    event.preventDefault()
    const invalid = validateFunnelName(name)
    setError(invalid && t(invalid))
    if (invalid) return
    update.mutate(
      { funnelId: funnel.id, input: { name: name.trim(), color } },
      { onSuccess: () => toast(t('funnels.saved')), onError: (failure) => setError(fieldErrors(failure, FIELDS).name) },
    )
  }

  const banner = formErrorMessage(update.error, t, FIELDS)
  return (
    <section className="grid gap-3 rounded-lg border border-slate-200 p-4" data-testid="funnel-details">
      <div className="flex items-center gap-2">
        <h3 className="font-semibold text-slate-900">{t('funnels.currentFunnel')}</h3>
        {funnel.isDefault && <Badge tone="success">{t('funnels.default')}</Badge>}
      </div>
      <form onSubmit={submit} noValidate className="grid gap-3">
        {banner && <Alert>{banner}</Alert>}
        <NameColorFields name={name} color={color} error={error} onName={setName} onColor={setColor} testId="funnel" />
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" size="sm" loading={update.isPending && !update.variables?.input.isDefault} data-testid="funnel-save">
            {t('common.save')}
          </Button>
          {!funnel.isDefault && (
            <Button
              type="button"
              size="sm"
              variant="outline"
              loading={update.isPending && update.variables?.input.isDefault}
              onClick={() => update.mutate({ funnelId: funnel.id, input: { isDefault: true } })}
              data-testid="funnel-make-default"
            >
              <Star aria-hidden />
              {t('funnels.makeDefault')}
            </Button>
          )}
          {/* The API refuses to delete the default funnel; another must become default first. */}
          {!funnel.isDefault && (
            <div className="ml-auto">
              <ConfirmDestructiveDialog
                icon={<Trash2 aria-hidden />}
                title={t('funnels.delete')}
                description={t('funnels.deleteBody', { name: funnel.name })}
                confirmLabel={t('funnels.deleteConfirm')}
                testId="funnel-delete"
                pending={remove.isPending}
                error={remove.error}
                onReset={remove.reset}
                onConfirm={(close) =>
                  remove.mutate(funnel.id, {
                    onSuccess: () => {
                      close()
                      toast(t('funnels.deleted', { name: funnel.name }))
                      onDeleted()
                    },
                  })
                }
              />
            </div>
          )}
        </div>
      </form>
    </section>
  )
}

export function NewFunnelForm({ onCreated }: { onCreated: (funnelId: string) => void }) {
  const t = useT()
  const create = useCreateFunnel()
  const [name, setName] = useState('')
  const [color, setColor] = useState('#047857')
  const [error, setError] = useState<string>()

  function submit(event: FormEvent) {
    event.preventDefault()
    const invalid = validateFunnelName(name)
    setError(invalid && t(invalid))
    if (invalid) return
    create.mutate(
      { name: name.trim(), color },
      {
        onSuccess: (funnel) => {
          toast(t('funnels.created', { name: funnel.name }))
          setName('')
          onCreated(funnel.id)
        },
        onError: (failure) => setError(fieldErrors(failure, FIELDS).name),
      },
    )
  }

  const banner = formErrorMessage(create.error, t, FIELDS)
  return (
    <section className="grid gap-3 rounded-lg border border-dashed border-slate-300 p-4" data-testid="funnel-new">
      <h3 className="font-semibold text-slate-900">{t('funnels.newFunnel')}</h3>
      <form onSubmit={submit} noValidate className="grid gap-3">
        {banner && <Alert>{banner}</Alert>}
        <NameColorFields name={name} color={color} error={error} onName={setName} onColor={setColor} testId="funnel-new" />
        <Button type="submit" size="sm" variant="outline" className="w-fit" loading={create.isPending} data-testid="funnel-create">
          {t('funnels.create')}
        </Button>
      </form>
    </section>
  )
}
