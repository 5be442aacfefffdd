import { useState, type ReactNode } from 'react'
import { Alert } from '@/components/ui/alert'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

type Props = {
  /** The icon of the trigger button. */
  icon: ReactNode
  title: string
  description: string
  confirmLabel: string
  testId: string
  pending: boolean
  error: unknown
  /** Called on confirm; call `close` once it succeeded. */
  onConfirm: (close: () => void) => void
  /** Called when the dialog opens, to clear a previous attempt's error. */
  onReset: () => void
}

/**
 * An icon button that asks before a destructive action. The confirm button is not an
 * AlertDialogAction: that would close the dialog at once and hide a refusal from the server
 * (such as removing the last admin, 422), which has to stay visible.
 */
export function ConfirmDestructiveDialog(props: Props) {
  const t = useT()
  const [open, setOpen] = useState(false)

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) props.onReset()
  }

  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="text-red-600 hover:bg-red-50 hover:text-red-700"
          aria-label={props.title}
          data-testid={props.testId}
        >
          {props.icon}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{props.title}</AlertDialogTitle>
        <AlertDialogDescription>{props.description}</AlertDialogDescription>
        {props.error != null && <Alert>{errorMessage(props.error, t)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button
            variant="destructive"
            loading={props.pending}
            onClick={() => props.onConfirm(() => setOpen(false))}
            data-testid={`${props.testId}-confirm`}
          >
            {props.confirmLabel}
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  )
}
