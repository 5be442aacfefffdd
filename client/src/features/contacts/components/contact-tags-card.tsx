import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useContactTag } from '../api/tags'
import type { Contact } from '../api/types'
import { TagChip } from './tag-chip'
import { TagPicker } from './tag-picker'

type Props = { contact: Contact; canManage: boolean }

export function ContactTagsCard({ contact, canManage }: Props) {
  const t = useT()
  const contactTag = useContactTag(contact.id)
  const onError = (error: unknown) => toast(errorMessage(error, t), 'error')

  return (
    <Card data-testid="contact-tags">
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>{t('contacts.col.tags')}</CardTitle>
        {canManage && (
          <TagPicker
            applied={contact.tags.map((tag) => tag.id)}
            onPick={(tagId) => contactTag.mutate({ tagId, action: 'add' }, { onError })}
          />
        )}
      </CardHeader>
      <CardContent>
        {contact.tags.length === 0 ? (
          <p className="text-sm text-slate-500">{t('contacts.tags.noneOnContact')}</p>
        ) : (
          <div className="flex flex-wrap gap-1.5">
            {contact.tags.map((tag) => (
              <TagChip
                key={tag.id}
                tag={tag}
                className="text-sm"
                disabled={contactTag.isPending}
                removeLabel={t('contacts.tags.removeFrom', { name: tag.name })}
                onRemove={canManage ? () => contactTag.mutate({ tagId: tag.id, action: 'remove' }, { onError }) : undefined}
              />
            ))}
          </div>
        )}
      </CardContent>
    </Card>
  )
}
