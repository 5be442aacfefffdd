import { useState } from 'react'
import { Search, SlidersHorizontal, Users } from 'lucide-react'
import { PageHeader } from '@/components/page-header'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useContacts } from '../api/contacts'
import { activeFilterCount, DEFAULT_SORT } from '../api/query'
import { useContactPermissions } from '../hooks/use-contact-permissions'
import { useListParams } from '../hooks/use-list-params'
import { BulkTagActions } from './bulk-tag-actions'
import { ContactFilters } from './contact-filters'
import { ContactsPagination } from './contacts-pagination'
import { ContactsTable } from './contacts-table'
import { CreateContactDialog } from './create-contact-dialog'
import { ExportContactsButton } from './export-contacts-button'
import { ImportWizard } from './import-wizard'
import { ManageTagsDialog } from './manage-tags-dialog'

export function ContactsPage() {
  const t = useT()
  const { params, key, update, searchInput, changeSearch, clearFilters } = useListParams()
  const { canManage } = useContactPermissions()
  const contacts = useContacts(params)
  const filterCount = activeFilterCount(params)
  const [filtersOpen, setFiltersOpen] = useState(filterCount > 0)
  // The selection belongs to one page of one query; another page or filter starts afresh.
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<string> }>({ key, ids: new Set() })
  const selected = selection.key === key ? selection.ids : new Set<string>()
  const rows = contacts.data?.contacts ?? []
  const filtered = filterCount > 0 || Boolean(params.search)

  function toggle(id: string) {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelection({ key, ids: next })
  }

  return (
    <div className="grid gap-4" data-testid="contacts-page">
      <PageHeader
        title={t('nav.contacts')}
        description={t('contacts.subtitle')}
        actions={
          <div className="flex flex-wrap gap-2">
            {canManage && <ManageTagsDialog />}
            {canManage && <ImportWizard />}
            <ExportContactsButton params={params} />
            {canManage && <CreateContactDialog />}
          </div>
        }
      />
      <Card className="grid gap-3 p-4">
        <div className="flex flex-wrap items-center gap-2">
          <div className="relative min-w-56 flex-1">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
            <Input
              type="search"
              className="pl-9"
              aria-label={t('common.search')}
              placeholder={t('contacts.searchPlaceholder')}
              value={searchInput}
              onChange={(event) => changeSearch(event.target.value)}
              data-testid="contacts-search"
            />
          </div>
          <Button
            variant="outline"
            aria-expanded={filtersOpen}
            onClick={() => setFiltersOpen(!filtersOpen)}
            data-testid="contacts-filters-toggle"
          >
            <SlidersHorizontal aria-hidden />
            {t('contacts.filters')}
            {filterCount > 0 && (
              <span className="rounded-full bg-emerald-700 px-1.5 text-xs text-white" data-testid="contacts-filters-count">
                {filterCount}
              </span>
            )}
          </Button>
          {filtered && (
            <Button variant="ghost" onClick={clearFilters} data-testid="contacts-filters-clear">
              {t('contacts.clearFilters')}
            </Button>
          )}
        </div>
        {filtersOpen && <ContactFilters params={params} onChange={update} />}
        {canManage && selected.size > 0 && (
          <BulkTagActions contactIds={[...selected]} onClear={() => setSelection({ key, ids: new Set() })} />
        )}
        {contacts.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : contacts.isError ? (
          <Alert>
            {errorMessage(contacts.error, t)}{' '}
            <button type="button" className="font-medium underline" onClick={() => void contacts.refetch()}>
              {t('common.retry')}
            </button>
          </Alert>
        ) : rows.length === 0 ? (
          <EmptyState filtered={filtered} onClear={clearFilters} />
        ) : (
          <>
            <ContactsTable
              contacts={rows}
              sort={params.sort ?? DEFAULT_SORT}
              onSort={(sort) => update({ sort })}
              busy={contacts.isPlaceholderData}
              selection={
                canManage
                  ? {
                      selected,
                      onToggle: toggle,
                      onToggleAll: (all) => setSelection({ key, ids: new Set(all ? rows.map((row) => row.id) : []) }),
                    }
                  : undefined
              }
            />
            <ContactsPagination
              pagination={contacts.data.pagination}
              onPage={(page) => update({ page })}
              onLimit={(limit) => update({ limit })}
            />
          </>
        )}
      </Card>
    </div>
  )
}

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  const t = useT()
  return (
    <div className="flex flex-col items-center gap-2 p-10 text-center" data-testid="contacts-empty">
      <span className="flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <Users className="size-6" aria-hidden />
      </span>
      <p className="font-medium text-slate-900">{filtered ? t('contacts.noResults') : t('contacts.empty')}</p>
      <p className="text-sm text-slate-500">{filtered ? t('contacts.noResultsHint') : t('contacts.emptyHint')}</p>
      {filtered && (
        <Button variant="outline" size="sm" onClick={onClear}>
          {t('contacts.clearFilters')}
        </Button>
      )}
    </div>
  )
}
