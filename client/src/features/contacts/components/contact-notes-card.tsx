import { useState, type FormEvent } from 'react'
import { Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { NOTE_MAX_LENGTH, useAddNote, useDeleteNote, useNotes } from '../api/notes'
import type { Note } from '../api/types'

type Props = { contactId: string; canManage: boolean }

export function ContactNotesCard({ contactId, canManage }: Props) {
  const t = useT()
  const notes = useNotes(contactId)

  return (
    <Card data-testid="contact-notes">
      <CardHeader>
        <CardTitle>{t('contacts.notes.title')}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {canManage && <NoteForm contactId={contactId} />}
        {notes.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : notes.isError ? (
          <Alert>{errorMessage(notes.error, t)}</Alert>
        ) : notes.data.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="contact-notes-empty">
            {t('contacts.notes.empty')}
          </p>
        ) : (
          <ul className="grid gap-3">
            {notes.data.map((note) => (
              <NoteItem key={note.id} contactId={contactId} note={note} canManage={canManage} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function NoteForm({ contactId }: { contactId: string }) {
  const t = useT()
  const [content, setContent] = useState('')
  const add = useAddNote(contactId)
  const tooLong = content.length > NOTE_MAX_LENGTH

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!content.trim() || tooLong) return
    add.mutate(content.trim(), {
      onSuccess: () => setContent(''),
      onError: (error) => toast(errorMessage(error, t), 'error'),
    })
  }

  return (
    <form onSubmit={submit} className="grid gap-2">
      <Textarea
        aria-label={t('contacts.notes.new')}
        placeholder={t('contacts.notes.placeholder')}
        rows={3}
        value={content}
        onChange={(event) => setContent(event.target.value)}
        aria-invalid={tooLong || undefined}
        data-testid="contact-note-input"
      />
      <div className="flex items-center justify-between gap-2">
        <span className={tooLong ? 'text-xs text-red-600' : 'text-xs text-slate-400'}>
          {content.length}/{NOTE_MAX_LENGTH}
        </span>
        <Button
          type="submit"
          size="sm"
          disabled={!content.trim() || tooLong || add.isPending}
          loading={add.isPending}
          data-testid="contact-note-add"
        >
          {t('contacts.notes.add')}
        </Button>
      </div>
    </form>
  )
}

function NoteItem({ contactId, note, canManage }: { contactId: string; note: Note; canManage: boolean }) {
  const t = useT()
  const format = useFormat()
  const remove = useDeleteNote(contactId)
  return (
    <li className="rounded-lg border border-slate-200 bg-amber-50/40 p-3" data-testid="contact-note" data-note-id={note.id}>
      <div className="mb-1 flex items-center justify-between gap-2 text-xs text-slate-500">
        <span>
          {note.createdBy?.fullName ?? t('contacts.actor.system')} · {format.dateTime(note.createdAt)}
        </span>
        {canManage && (
          <ConfirmDestructiveDialog
            icon={<Trash2 aria-hidden />}
            title={t('contacts.notes.deleteTitle')}
            description={t('contacts.notes.deleteBody')}
            confirmLabel={t('common.remove')}
            testId="contact-note-delete"
            pending={remove.isPending}
            error={remove.error}
            onReset={() => remove.reset()}
            onConfirm={(close) => remove.mutate(note.id, { onSuccess: close })}
          />
        )}
      </div>
      <p className="text-sm whitespace-pre-wrap text-slate-800">{note.content}</p>
    </li>
  )
}
