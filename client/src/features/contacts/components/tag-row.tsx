import { useState } from 'react'
import { Bot, Pencil, Trash2 } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Input } from '@/components/ui/input'
import { AiManagedField } from '@/features/ai/components/ai-managed-field'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeleteTag, useUpdateTag } from '../api/tags'
import type { Tag } from '../api/types'
import { ColourPicker } from './colour-picker'
import { TagChip } from './tag-chip'

type Props = { tag: Tag; checked: boolean; onCheck: () => void }

export function TagRow({ tag, checked, onCheck }: Props) {
  const t = useT()
  const format = useFormat()
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view')
  const [name, setName] = useState(tag.name)
  const [color, setColor] = useState(tag.color)
  const [aiManaged, setAiManaged] = useState(tag.isAiManaged)
  const update = useUpdateTag()
  const remove = useDeleteTag()
  const onError = (error: unknown) => toast(errorMessage(error, t), 'error')

  function startEdit() {
    setName(tag.name)
    setColor(tag.color)
    setAiManaged(tag.isAiManaged)
    setMode('edit')
  }

  function save() {
    const trimmed = name.trim()
    if (!trimmed) return
    const changes = { id: tag.id, name: trimmed, color, ...(aiManaged !== tag.isAiManaged ? { isAiManaged: aiManaged } : {}) }
    update.mutate(changes, { onSuccess: () => setMode('view'), onError })
  }

  if (mode === 'edit') {
    return (
      <li className="grid gap-2 rounded-md bg-slate-50 p-2" data-testid="tag-row" data-tag-id={tag.id}>
        <Input
          aria-label={t('contacts.tags.name')}
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          data-testid="tag-edit-name"
        />
        <ColourPicker value={color} onChange={setColor} testId="tag-edit-color" />
        <AiManagedField checked={aiManaged} onChange={setAiManaged} testId="tag-edit-ai-managed" />
        <div className="flex justify-end gap-2">
          <Button variant="outline" size="sm" onClick={() => setMode('view')}>
            {t('common.cancel')}
          </Button>
          <Button size="sm" onClick={save} disabled={!name.trim() || update.isPending} loading={update.isPending} data-testid="tag-edit-save">
            {t('common.save')}
          </Button>
        </div>
      </li>
    )
  }

  return (
    <li className="flex items-center gap-2 rounded-md px-1 py-1.5 hover:bg-slate-50" data-testid="tag-row" data-tag-id={tag.id}>
      <Checkbox
        aria-label={t('contacts.tags.selectForMerge', { name: tag.name })}
        checked={checked}
        onChange={onCheck}
        data-testid="tag-merge-select"
      />
      <TagChip tag={tag} />
      {tag.isAiManaged && (
        <Badge tone="info" title={t('contacts.tags.aiManaged')}>
          <Bot className="size-3" aria-hidden />
          <span className="sr-only">{t('contacts.tags.aiManaged')}</span>
        </Badge>
      )}
      <span className="flex-1 text-xs text-slate-500">{t('contacts.tags.contactCount', { count: format.number(tag.contactCount) })}</span>
      {mode === 'delete' ? (
        <span className="flex items-center gap-1">
          <span className="text-xs text-red-700">{t('contacts.tags.deleteAsk')}</span>
          <Button variant="ghost" size="sm" onClick={() => setMode('view')}>
            {t('common.cancel')}
          </Button>
          <Button
            variant="destructive"
            size="sm"
            loading={remove.isPending}
            onClick={() => remove.mutate(tag.id, { onSuccess: () => toast(t('contacts.tags.deleted')), onError })}
            data-testid="tag-delete-confirm"
          >
            {t('contacts.tags.delete')}
          </Button>
        </span>
      ) : (
        <span className="flex items-center">
          <Button variant="ghost" size="icon" onClick={startEdit} aria-label={t('contacts.tags.edit', { name: tag.name })} data-testid="tag-edit">
            <Pencil aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            className="text-red-600 hover:bg-red-50 hover:text-red-700"
            onClick={() => setMode('delete')}
            aria-label={t('contacts.tags.deleteTitle', { name: tag.name })}
            data-testid="tag-delete"
          >
            <Trash2 aria-hidden />
          </Button>
        </span>
      )}
    </li>
  )
}
