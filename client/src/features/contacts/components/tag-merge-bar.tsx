import { useState } from 'react'
import { Merge } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Select } from '@/components/ui/select'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useMergeTags } from '../api/tags'
import type { Tag } from '../api/types'

type Props = { tags: Tag[]; selected: string[]; onMerged: () => void }

/** The ticked tags go into the chosen one: their contacts get it and they are deleted. */
export function TagMergeBar({ tags, selected, onMerged }: Props) {
  const t = useT()
  const [target, setTarget] = useState('')
  const merge = useMergeTags()
  const sources = selected.filter((id) => id !== target)

  return (
    <div className="grid gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm" data-testid="tags-merge-bar">
      <p className="text-amber-900">{t('contacts.tags.mergeHelp', { count: selected.length })}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Select
          aria-label={t('contacts.tags.mergeTarget')}
          className="w-auto min-w-48 flex-1"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          data-testid="tags-merge-target"
        >
          <option value="">{t('contacts.tags.mergeTargetPlaceholder')}</option>
          {tags.map((tag) => (
            <option key={tag.id} value={tag.id}>
              {tag.name}
            </option>
          ))}
        </Select>
        <Button
          size="sm"
          disabled={!target || sources.length === 0 || merge.isPending}
          loading={merge.isPending}
          onClick={() =>
            merge.mutate(
              { sourceTagIds: sources, targetTagId: target },
              {
                onSuccess: ({ contactsUpdated }) => {
                  toast(t('contacts.tags.merged', { count: contactsUpdated }))
                  setTarget('')
                  onMerged()
                },
                onError: (error) => toast(errorMessage(error, t), 'error'),
              },
            )
          }
          data-testid="tags-merge-submit"
        >
          <Merge aria-hidden />
          {t('contacts.tags.merge')}
        </Button>
      </div>
    </div>
  )
}
