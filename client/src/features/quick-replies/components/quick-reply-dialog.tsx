import { useRef, useState, type FormEvent, type ReactElement } from 'react'
import { insertAtCaret } from '@/lib/insert-at-caret'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT, type MessageKey } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateQuickReply, useUpdateQuickReply, type QuickReply, type QuickReplyInput } from '../api/quick-replies'
import { normaliseShortcut, shortcutError } from '../shortcut'
import { VariablesPanel } from './variables-panel'

const FIELDS = ['shortcut', 'title', 'content', 'scope'] as const
type Field = (typeof FIELDS)[number]
const MAX_CONTENT = 4096

function validate(values: QuickReplyInput): Partial<Record<Field, MessageKey>> {
  const errors: Partial<Record<Field, MessageKey>> = {}
  const shortcut = shortcutError(values.shortcut)
  if (shortcut) errors.shortcut = shortcut
  const title = values.title.trim()
  if (!title || title.length > 100) errors.title = 'quickReplies.titleRequired'
  if (!values.content.trim() || values.content.length > MAX_CONTENT) errors.content = 'quickReplies.contentRequired'
  return errors
}

type Props = {
  /** The reply to edit; a new one when absent. */
  reply?: QuickReply
  /** Admins and coordinators may publish to the whole company; everyone else writes personal ones. */
  canChooseScope: boolean
  names: Partial<Record<string, string>>
  trigger: ReactElement
}

export function QuickReplyDialog({ reply, canChooseScope, names, trigger }: Props) {
  const t = useT()
  const initial: QuickReplyInput = reply
    ? { shortcut: reply.shortcut, title: reply.title, content: reply.content, scope: reply.scope }
    : { shortcut: '', title: '', content: '', scope: canChooseScope ? 'company' : 'personal' }
  const [open, setOpen] = useState(false)
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const content = useRef<HTMLTextAreaElement>(null)
  const create = useCreateQuickReply()
  const update = useUpdateQuickReply()
  const mutation = reply ? update : create

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) {
      setValues(initial)
      setErrors({})
      mutation.reset()
    }
  }

  const change = (field: Field, value: string) => setValues((current) => ({ ...current, [field]: value }))

  const insert = (token: string) => insertAtCaret(content.current, values.content, token, (next) => change('content', next))

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validate(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    const input = { ...values, shortcut: normaliseShortcut(values.shortcut), title: values.title.trim() }
    const options = {
      onSuccess: () => {
        toast(t(reply ? 'quickReplies.updated' : 'quickReplies.created'))
        setOpen(false)
      },
      onError: (error: unknown) => setErrors(fieldErrors(error, FIELDS)),
    }
    if (reply) update.mutate({ id: reply.id, ...input }, options)
    else create.mutate(input, options)
  }

  const banner = formErrorMessage(mutation.error, t, FIELDS)
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>{t(reply ? 'quickReplies.editTitle' : 'quickReplies.createTitle')}</DialogTitle>
          <DialogDescription>{t('quickReplies.dialogDescription')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4" data-testid="quick-reply-form">
          {banner && <Alert>{banner}</Alert>}
          <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
            <FormField label={t('quickReplies.shortcut')} error={errors.shortcut} hint={t('quickReplies.shortcutHint')}>
              <Input
                name="shortcut"
                autoComplete="off"
                placeholder="/preco"
                value={values.shortcut}
                onChange={(event) => change('shortcut', event.target.value)}
                data-testid="quick-reply-shortcut"
              />
            </FormField>
            <FormField label={t('quickReplies.titleLabel')} error={errors.title}>
              <Input
                name="title"
                maxLength={100}
                value={values.title}
                onChange={(event) => change('title', event.target.value)}
                data-testid="quick-reply-title"
              />
            </FormField>
          </div>
          <FormField label={t('quickReplies.content')} error={errors.content}>
            <textarea
              ref={content}
              name="content"
              rows={5}
              maxLength={MAX_CONTENT}
              value={values.content}
              onChange={(event) => change('content', event.target.value)}
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:outline-none aria-invalid:border-red-500"
              data-testid="quick-reply-content"
            />
          </FormField>
          <VariablesPanel content={values.content} names={names} onInsert={insert} />
          {canChooseScope && (
            <FormField label={t('quickReplies.scope')} error={errors.scope}>
              <Select
                name="scope"
                value={values.scope}
                onChange={(event) => change('scope', event.target.value)}
                data-testid="quick-reply-scope"
              >
                <option value="company">{t('quickReplies.scopeCompanyOption')}</option>
                <option value="personal">{t('quickReplies.scopePersonalOption')}</option>
              </Select>
            </FormField>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="quick-reply-submit">
              {t('common.save')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
