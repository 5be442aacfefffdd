import { useRef, useState, type FormEvent } from 'react'
import { Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useAddDealNote, useDealNotes, useDeleteDealNote } from '../../api/deal-content'
import type { DealNote } from '../../api/types'
import { htmlToText, sanitizeHtml } from '../../sanitize-html'
import { RICH_TEXT_CLASS, RichTextEditor, type RichTextHandle } from './rich-text-editor'

const MAX_NOTE = 10_000

export function DealNotes({ dealId, canEdit }: { dealId: string; canEdit: boolean }) {
  const t = useT()
  const notes = useDealNotes(dealId)
  return (
    <div className="grid gap-3" data-testid="deal-notes">
      {canEdit && <NoteComposer dealId={dealId} />}
      {notes.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : notes.isError ? (
        <Alert>{errorMessage(notes.error, t)}</Alert>
      ) : notes.data.length === 0 ? (
        <p className="text-sm text-slate-500">{t('deals.notesEmpty')}</p>
      ) : (
        <ul className="grid gap-2">
          {notes.data.map((note) => (
            <NoteItem key={note.id} dealId={dealId} note={note} canEdit={canEdit} />
          ))}
        </ul>
      )}
    </div>
  )
}

function NoteComposer({ dealId }: { dealId: string }) {
  const t = useT()
  const editor = useRef<RichTextHandle>(null)
  const [empty, setEmpty] = useState(true)
  const [tooLong, setTooLong] = useState(false)
  const add = useAddDealNote(dealId)

  function submit(event: FormEvent) {
    event.preventDefault()
    const contentHtml = editor.current?.getHtml() ?? ''
    const content = htmlToText(contentHtml)
    setTooLong(content.length > MAX_NOTE)
    if (!content || content.length > MAX_NOTE) return
    add.mutate({ content, contentHtml }, { onSuccess: () => editor.current?.clear() })
  }

  return (
    <form onSubmit={submit} className="grid gap-2" noValidate>
      {add.isError && <Alert>{errorMessage(add.error, t)}</Alert>}
      {tooLong && <Alert>{t('deals.noteTooLong', { max: MAX_NOTE })}</Alert>}
      <RichTextEditor ref={editor} label={t('deals.noteLabel')} placeholder={t('deals.notePlaceholder')} onEmptyChange={setEmpty} testId="deal-note-editor" />
      <Button type="submit" size="sm" className="w-fit justify-self-end" disabled={empty} loading={add.isPending} data-testid="deal-note-save">
        {t('deals.noteSave')}
      </Button>
    </form>
  )
}

function NoteItem({ dealId, note, canEdit }: { dealId: string; note: DealNote; canEdit: boolean }) {
  const t = useT()
  const format = useFormat()
  const remove = useDeleteDealNote(dealId)
  return (
    <li className="grid gap-1 rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="deal-note">
      <div className="flex items-center gap-2 text-xs text-slate-500">
        <span className="font-medium text-slate-700">{note.createdBy?.fullName ?? t('deals.someone')}</span>
        <time dateTime={note.createdAt}>{format.dateTime(note.createdAt)}</time>
        {canEdit && (
          <div className="ml-auto">
            <ConfirmDestructiveDialog
              icon={<Trash2 aria-hidden />}
              title={t('deals.noteDelete')}
              description={t('deals.noteDeleteBody')}
              confirmLabel={t('common.remove')}
              testId="deal-note-delete"
              pending={remove.isPending}
              error={remove.error}
              onReset={remove.reset}
              onConfirm={(close) => remove.mutate(note.id, { onSuccess: close })}
            />
          </div>
        )}
      </div>
      {note.title && <p className="text-sm font-semibold text-slate-900">{note.title}</p>}
      {note.contentHtml ? (
        // Sanitised by the server and again here: only formatting tags and safe links survive.
        <div className={cn('text-sm text-slate-800', RICH_TEXT_CLASS)} dangerouslySetInnerHTML={{ __html: sanitizeHtml(note.contentHtml) }} />
      ) : (
        <p className="text-sm whitespace-pre-wrap text-slate-800">{note.content}</p>
      )}
    </li>
  )
}
