import { useState } from 'react'
import { Plus } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateTag, useTags } from '../api/tags'

const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

type Props = { applied: string[]; onPick: (tagId: string) => void }

/** Pick one of the company's tags, or create one with the typed name and put it on at once. */
export function TagPicker({ applied, onPick }: Props) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const tags = useTags()
  const create = useCreateTag()
  const wanted = fold(query)
  const options = (tags.data ?? []).filter((tag) => !applied.includes(tag.id) && fold(tag.name).includes(wanted))
  // Tag names are unique ignoring case; offering to create an existing one would only earn a 409.
  const exists = (tags.data ?? []).some((tag) => fold(tag.name) === wanted)

  function pick(tagId: string) {
    onPick(tagId)
    setOpen(false)
    setQuery('')
  }

  function createAndPick() {
    create.mutate(
      { name: query.trim() },
      { onSuccess: (tag) => pick(tag.id), onError: (error) => toast(errorMessage(error, t), 'error') },
    )
  }

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button variant="ghost" size="sm" data-testid="contact-tags-add">
          <Plus aria-hidden />
          {t('contacts.tags.add')}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="grid w-64 gap-2 p-2">
        <Input
          autoFocus
          aria-label={t('contacts.tags.search')}
          placeholder={t('contacts.tags.search')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="contact-tags-search"
        />
        {tags.isPending ? (
          <Spinner label={t('common.loading')} className="p-2" />
        ) : (
          <ul className="max-h-56 overflow-y-auto">
            {options.map((tag) => (
              <li key={tag.id}>
                <button
                  type="button"
                  onClick={() => pick(tag.id)}
                  className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-slate-100"
                  data-testid="contact-tags-option"
                  data-tag-id={tag.id}
                >
                  <span className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden />
                  <span className="truncate">{tag.name}</span>
                </button>
              </li>
            ))}
            {options.length === 0 && !query.trim() && <li className="px-2 py-1.5 text-sm text-slate-500">{t('contacts.tags.none')}</li>}
          </ul>
        )}
        {query.trim() && !exists && (
          <Button variant="outline" size="sm" loading={create.isPending} onClick={createAndPick} data-testid="contact-tags-create">
            <Plus aria-hidden />
            {t('contacts.tags.createNamed', { name: query.trim() })}
          </Button>
        )}
      </PopoverContent>
    </Popover>
  )
}
