import { Link } from 'react-router'
import { Badge } from '@/components/ui/badge'
import { Checkbox } from '@/components/ui/checkbox'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useFormat, useT } from '@/lib/i18n'
import type { ContactSort, ContactSummary } from '../api/types'
import { formatPhone } from '../format'
import { ContactAvatar } from './contact-avatar'
import { SortHeader } from './sort-header'
import { TagChip } from './tag-chip'

type Selection = { selected: ReadonlySet<string>; onToggle: (id: string) => void; onToggleAll: (select: boolean) => void }

type Props = {
  contacts: ContactSummary[]
  sort: ContactSort
  onSort: (sort: ContactSort) => void
  /** Absent for members who may not change contacts: no checkboxes then. */
  selection?: Selection
  busy?: boolean
}

export function ContactsTable({ contacts, sort, onSort, selection, busy }: Props) {
  const t = useT()
  const format = useFormat()
  const selectedHere = selection ? contacts.filter((contact) => selection.selected.has(contact.id)).length : 0
  const allSelected = contacts.length > 0 && selectedHere === contacts.length

  return (
    <Table data-testid="contacts-table" aria-busy={busy || undefined} className="[&_td]:px-2 [&_th]:px-2">
      <TableHeader>
        <TableRow>
          {selection && (
            <TableHead className="w-10">
              <Checkbox
                aria-label={t('contacts.selectAll')}
                checked={allSelected}
                ref={(input) => {
                  if (input) input.indeterminate = selectedHere > 0 && !allSelected
                }}
                onChange={() => selection.onToggleAll(!allSelected)}
                data-testid="contacts-select-all"
              />
            </TableHead>
          )}
          <SortHeader field="name" label={t('contacts.col.name')} sort={sort} onSort={onSort} />
          <TableHead>{t('contacts.col.phone')}</TableHead>
          <TableHead>{t('contacts.col.email')}</TableHead>
          <TableHead>{t('contacts.col.tags')}</TableHead>
          <TableHead>{t('contacts.col.stage')}</TableHead>
          <SortHeader field="lastActivityAt" label={t('contacts.col.lastActivity')} sort={sort} onSort={onSort} />
          <SortHeader field="createdAt" label={t('contacts.col.createdAt')} sort={sort} onSort={onSort} />
        </TableRow>
      </TableHeader>
      <TableBody>
        {contacts.map((contact) => (
          <TableRow
            key={contact.id}
            data-testid="contacts-row"
            data-contact-id={contact.id}
            data-state={selection?.selected.has(contact.id) ? 'selected' : undefined}
            className="data-[state=selected]:bg-emerald-50/60"
          >
            {selection && (
              <TableCell>
                <Checkbox
                  aria-label={t('contacts.selectOne', { name: contact.displayName })}
                  checked={selection.selected.has(contact.id)}
                  onChange={() => selection.onToggle(contact.id)}
                  data-testid="contacts-select-row"
                />
              </TableCell>
            )}
            <TableCell>
              <div className="flex min-w-44 items-center gap-2.5">
                <ContactAvatar name={contact.displayName} seed={contact.id} photoUrl={contact.avatarUrl} />
                <div className="min-w-0">
                  <Link
                    to={`/contacts/${encodeURIComponent(contact.id)}`}
                    className="font-medium text-slate-900 hover:text-emerald-700 hover:underline"
                    data-testid="contacts-row-link"
                  >
                    {contact.displayName}
                  </Link>
                  {contact.isBlocked && (
                    <Badge tone="danger" className="ml-2">
                      {t('contacts.blocked')}
                    </Badge>
                  )}
                  {contact.pushName && contact.name && contact.pushName !== contact.name && (
                    <span className="block truncate text-xs text-slate-500">~{contact.pushName}</span>
                  )}
                </div>
              </div>
            </TableCell>
            <TableCell className="whitespace-nowrap tabular-nums">{formatPhone(contact.phoneNumber) || '—'}</TableCell>
            <TableCell className="max-w-48 truncate" title={contact.email ?? undefined}>
              {contact.email ?? '—'}
            </TableCell>
            <TableCell>
              <div className="flex max-w-48 flex-wrap gap-1">
                {contact.tags.map((tag) => (
                  <TagChip key={tag.id} tag={tag} />
                ))}
              </div>
            </TableCell>
            <TableCell>
              {contact.currentStage ? (
                <span className="inline-flex items-center gap-1.5 whitespace-nowrap" title={contact.currentStage.funnelName}>
                  <span className="size-2 rounded-full" style={{ backgroundColor: contact.currentStage.color }} aria-hidden />
                  {contact.currentStage.name}
                </span>
              ) : (
                '—'
              )}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {contact.lastActivityAt ? (
                <time dateTime={contact.lastActivityAt} title={format.dateTime(contact.lastActivityAt)}>
                  {format.date(contact.lastActivityAt)}
                </time>
              ) : (
                '—'
              )}
            </TableCell>
            <TableCell className="whitespace-nowrap">{format.date(contact.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
