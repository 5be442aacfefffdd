import { FileDown } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useExportContacts } from '../api/download'
import type { ContactListParams } from '../api/types'

/** Downloads every contact that matches the list's current filters and sort, not just this page. */
export function ExportContactsButton({ params }: { params: ContactListParams }) {
  const t = useT()
  const exportCsv = useExportContacts()
  return (
    <Button
      variant="outline"
      loading={exportCsv.isPending}
      onClick={() => exportCsv.mutate(params, { onError: (error) => toast(errorMessage(error, t), 'error') })}
      data-testid="contact-export-csv"
    >
      {!exportCsv.isPending && <FileDown aria-hidden />}
      {t('contacts.exportCsv')}
    </Button>
  )
}
