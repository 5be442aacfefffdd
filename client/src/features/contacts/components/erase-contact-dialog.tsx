import { useState } from 'react'
import { useNavigate } from 'react-router'
import { useQueryClient } from '@tanstack/react-query'
import { Eraser } from 'lucide-react'
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
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { forgetContact, useEraseContact } from '../api/contacts'
import type { Contact } from '../api/types'
import { formatPhone } from '../format'
import { eraseConfirmation } from '../validation'

export function EraseContactDialog({ contact }: { contact: Contact }) {
  const t = useT()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const erase = useEraseContact(contact.id)
  const confirmation = eraseConfirmation(contact, typed)
  const expected = contact.phoneNumber ? formatPhone(contact.phoneNumber) : (contact.name ?? contact.displayName)

  function onOpenChange(next: boolean) {
    if (!next && erase.isPending) return
    setOpen(next)
    setTyped('')
    erase.reset()
  }

  function confirm() {
    if (!confirmation) return
    erase.mutate(confirmation, {
      onSuccess: ({ messages, media, conversations }) => {
        toast(t('contacts.erase.done', { messages, media, conversations }))
        setOpen(false)
        void Promise.resolve(navigate('/contacts', { replace: true })).then(() => forgetContact(queryClient, contact.id))
      },
    })
  }

  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" className="border-red-300 text-red-700 hover:bg-red-50" data-testid="contact-erase">
          <Eraser aria-hidden />
          {t('contacts.erase.button')}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent data-testid="contact-erase-dialog">
        <AlertDialogTitle>{t('contacts.erase.title', { name: contact.displayName })}</AlertDialogTitle>
        <AlertDialogDescription>{t('contacts.erase.body')}</AlertDialogDescription>
        {erase.error != null && <Alert>{errorMessage(erase.error, t)}</Alert>}
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault()
            confirm()
          }}
        >
          <FormField
            label={t(contact.phoneNumber ? 'contacts.erase.typePhone' : 'contacts.erase.typeName', { value: expected })}
          >
            <Input
              autoComplete="off"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              data-testid="contact-erase-input"
            />
          </FormField>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialogCancel asChild>
              <Button type="button" variant="outline">
                {t('common.cancel')}
              </Button>
            </AlertDialogCancel>
            <Button
              type="submit"
              variant="destructive"
              disabled={!confirmation || erase.isPending}
              loading={erase.isPending}
              data-testid="contact-erase-confirm"
            >
              {t('contacts.erase.confirm')}
            </Button>
          </div>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  )
}
