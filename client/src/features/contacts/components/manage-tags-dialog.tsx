import { useState, type FormEvent } from 'react'
import { Plus, Tags } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { AiManagedField } from '@/features/ai/components/ai-managed-field'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useCreateTag, useTags } from '../api/tags'
import { TAG_COLOURS } from '../format'
import { ColourPicker } from './colour-picker'
import { TagMergeBar } from './tag-merge-bar'
import { TagRow } from './tag-row'

const DEFAULT_COLOUR = TAG_COLOURS[0]

export function ManageTagsDialog() {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [selected, setSelected] = useState<string[]>([])
  const tags = useTags()
  // Tags deleted meanwhile drop out of the merge selection.
  const ticked = selected.filter((id) => tags.data?.some((tag) => tag.id === id))

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (!next) setSelected([])
  }

  const toggle = (id: string) => setSelected((current) => (current.includes(id) ? current.filter((item) => item !== id) : [...current, id]))

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="contacts-manage-tags">
          <Tags aria-hidden />
          {t('contacts.tags.manage')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-w-xl" data-testid="tags-dialog">
        <DialogHeader>
          <DialogTitle>{t('contacts.tags.manage')}</DialogTitle>
          <DialogDescription>{t('contacts.tags.manageDescription')}</DialogDescription>
        </DialogHeader>
        <NewTagForm />
        {ticked.length > 0 && tags.data && <TagMergeBar tags={tags.data} selected={ticked} onMerged={() => setSelected([])} />}
        {tags.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : tags.isError ? (
          <Alert>{errorMessage(tags.error, t)}</Alert>
        ) : tags.data.length === 0 ? (
          <p className="p-4 text-center text-sm text-slate-500">{t('contacts.tags.none')}</p>
        ) : (
          <ul className="grid max-h-[50vh] gap-0.5 overflow-y-auto" data-testid="tags-list">
            {tags.data.map((tag) => (
              <TagRow key={tag.id} tag={tag} checked={ticked.includes(tag.id)} onCheck={() => toggle(tag.id)} />
            ))}
          </ul>
        )}
      </DialogContent>
    </Dialog>
  )
}

function NewTagForm() {
  const t = useT()
  const [name, setName] = useState('')
  const [color, setColor] = useState<string>(DEFAULT_COLOUR)
  const [aiManaged, setAiManaged] = useState(false)
  const create = useCreateTag()

  function submit(event: FormEvent) {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    create.mutate(
      { name: trimmed, color, ...(aiManaged ? { isAiManaged: true } : {}) },
      {
        onSuccess: () => {
          setName('')
          setColor(DEFAULT_COLOUR)
          setAiManaged(false)
        },
      },
    )
  }

  return (
    <form onSubmit={submit} className="grid gap-2 rounded-lg border border-slate-200 p-3" data-testid="tags-new-form">
      {create.error != null && <Alert>{errorMessage(create.error, t)}</Alert>}
      <div className="flex gap-2">
        <Input
          aria-label={t('contacts.tags.newName')}
          placeholder={t('contacts.tags.newName')}
          value={name}
          maxLength={100}
          onChange={(event) => {
            setName(event.target.value)
            if (create.error) create.reset()
          }}
          data-testid="tags-new-name"
        />
        <Button type="submit" disabled={!name.trim() || create.isPending} loading={create.isPending} data-testid="tags-new-submit">
          <Plus aria-hidden />
          {t('contacts.tags.create')}
        </Button>
      </div>
      <ColourPicker value={color} onChange={setColor} testId="tags-new-color" />
      <AiManagedField checked={aiManaged} onChange={setAiManaged} testId="tags-new-ai-managed" />
    </form>
  )
}
