import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

type Props = {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description: string
  label: string
  confirmLabel: string
  onConfirm: (reason: string) => void
  pending?: boolean
  error?: unknown
  /** `lost-reason` gives lost-reason-dialog / lost-reason-input / lost-reason-confirm. */
  testId: string
}

/** Asks for a required reason (losing a deal, reopening one) before the action runs. */
export function ReasonDialog({ open, onOpenChange, title, description, ...form }: Props) {
  const t = useT()
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} data-testid={`${form.testId}-dialog`}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {/* Inside the content, so a closed dialog forgets what was typed. */}
        <ReasonForm {...form} onCancel={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  )
}

type FormProps = Pick<Props, 'label' | 'confirmLabel' | 'onConfirm' | 'pending' | 'error' | 'testId'> & { onCancel: () => void }

function ReasonForm({ label, confirmLabel, onConfirm, pending, error, testId, onCancel }: FormProps) {
  const t = useT()
  const [reason, setReason] = useState('')
  const [missing, setMissing] = useState(false)

  function submit(event: FormEvent) {
    event.preventDefault()
    const value = reason.trim()
    setMissing(!value)
    if (value) onConfirm(value)
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      {error != null && <Alert>{errorMessage(error, t)}</Alert>}
      <FormField label={label} error={missing ? t('validation.required') : undefined}>
        <Textarea
          value={reason}
          maxLength={500}
          autoFocus
          onChange={(event) => setReason(event.target.value)}
          data-testid={`${testId}-input`}
        />
      </FormField>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button type="button" variant="outline" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={pending} data-testid={`${testId}-confirm`}>
          {confirmLabel}
        </Button>
      </div>
    </form>
  )
}
