import { useState } from 'react'
import { X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useT } from '@/lib/i18n'
import { useContactOptions } from '../api/contacts'
import type { ContactOption } from '../api/types'
import { useDebounced } from '../hooks/use-debounced'

type Props = { id?: string; value: ContactOption | null; onChange: (contact: ContactOption | null) => void }

/** Search-as-you-type over GET /api/contacts; one contact may be chosen. */
export function ContactPicker({ id, value, onChange }: Props) {
  const t = useT()
  const [search, setSearch] = useState('')
  const debounced = useDebounced(search.trim(), 250)
  const options = useContactOptions(debounced)
  const listId = `${id ?? 'contact'}-options`

  if (value) {
    return (
      <div className="flex h-9 items-center justify-between rounded-md border border-slate-300 bg-slate-50 px-3 text-sm" data-testid="deal-contact-selected">
        <span className="truncate">
          {value.displayName}
          {value.phoneNumber && <span className="ml-2 text-xs text-slate-500">{value.phoneNumber}</span>}
        </span>
        <Button type="button" variant="ghost" size="icon" className="size-6" aria-label={t('deals.clearContact')} onClick={() => onChange(null)}>
          <X aria-hidden />
        </Button>
      </div>
    )
  }

  const results = debounced ? (options.data ?? []) : []
  return (
    <div className="grid gap-1">
      <Input
        id={id}
        type="search"
        value={search}
        placeholder={t('deals.contactSearch')}
        onChange={(event) => setSearch(event.target.value)}
        aria-controls={listId}
        autoComplete="off"
        data-testid="deal-contact-search"
      />
      {debounced && (
        <ul id={listId} className="max-h-40 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm" aria-label={t('deals.contact')}>
          {results.map((contact) => (
            <li key={contact.id}>
              <button
                type="button"
                className="flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none"
                onClick={() => onChange(contact)}
                data-testid="deal-contact-option"
              >
                <span className="truncate">{contact.displayName}</span>
                {contact.phoneNumber && <span className="text-xs text-slate-500">{contact.phoneNumber}</span>}
              </button>
            </li>
          ))}
          {options.isSuccess && results.length === 0 && <li className="px-3 py-1.5 text-slate-500">{t('deals.noContacts')}</li>}
        </ul>
      )}
    </div>
  )
}
