import { Tag as TagIcon, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useBulkTags, useTags } from '../api/tags'

type Props = { contactIds: string[]; onClear: () => void }

/** Shown while rows are ticked: one tag on (or off) every selected contact of the page. */
export function BulkTagActions({ contactIds, onClear }: Props) {
  const t = useT()
  const tags = useTags()
  const bulk = useBulkTags()

  function apply(action: 'assign' | 'unassign', tagId: string) {
    bulk.mutate(
      { action, contactIds, tagIds: [tagId] },
      {
        onSuccess: ({ changed }) =>
          toast(t(action === 'assign' ? 'contacts.bulk.added' : 'contacts.bulk.removed', { count: changed })),
        onError: (error) => toast(errorMessage(error, t), 'error'),
      },
    )
  }

  const menu = (action: 'assign' | 'unassign') => (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          disabled={bulk.isPending}
          data-testid={action === 'assign' ? 'contacts-bulk-add-tag' : 'contacts-bulk-remove-tag'}
        >
          <TagIcon aria-hidden />
          {t(action === 'assign' ? 'contacts.bulk.addTag' : 'contacts.bulk.removeTag')}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="max-h-72 overflow-y-auto">
        <DropdownMenuLabel>{t('contacts.bulk.chooseTag')}</DropdownMenuLabel>
        {(tags.data ?? []).length === 0 && (
          <DropdownMenuItem disabled>{tags.isPending ? t('common.loading') : t('contacts.tags.none')}</DropdownMenuItem>
        )}
        {tags.data?.map((tag) => (
          <DropdownMenuItem key={tag.id} onSelect={() => apply(action, tag.id)} data-testid="contacts-bulk-tag-option" data-tag-id={tag.id}>
            <span className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden />
            {tag.name}
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  )

  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
      role="region"
      aria-label={t('contacts.bulk.region')}
      data-testid="contacts-bulk-bar"
    >
      <span className="font-medium">{t('contacts.bulk.selected', { count: contactIds.length })}</span>
      {menu('assign')}
      {menu('unassign')}
      <Button variant="ghost" size="sm" onClick={onClear} data-testid="contacts-bulk-clear">
        <X aria-hidden />
        {t('contacts.bulk.clear')}
      </Button>
    </div>
  )
}
