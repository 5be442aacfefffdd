import { useId } from 'react'
import { FileSpreadsheet } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { DialogFooter } from '@/components/ui/dialog'
import { useT } from '@/lib/i18n'
import { IMPORT_MAX_BYTES } from '../api/import'

type Props = {
  file: File | null
  onFile: (file: File | null) => void
  pending: boolean
  onCancel: () => void
  onUpload: () => void
}

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1)

export function ImportChooseStep({ file, onFile, pending, onCancel, onUpload }: Props) {
  const t = useT()
  const inputId = useId()
  // The server refuses bigger files anyway; saying so here saves uploading 5 MB for nothing.
  const tooBig = file !== null && file.size > IMPORT_MAX_BYTES

  return (
    <div className="grid gap-4">
      <label
        htmlFor={inputId}
        className="flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed border-slate-300 p-6 text-center hover:border-emerald-500 hover:bg-emerald-50/40"
      >
        <FileSpreadsheet className="size-8 text-emerald-700" aria-hidden />
        <span className="text-sm font-medium text-slate-900">{file ? file.name : t('contacts.import.choose')}</span>
        <span className="text-xs text-slate-500">
          {file ? t('contacts.import.fileSize', { size: megabytes(file.size) }) : t('contacts.import.limits')}
        </span>
      </label>
      <input
        id={inputId}
        type="file"
        accept=".csv,text/csv"
        className="sr-only"
        onChange={(event) => onFile(event.target.files?.[0] ?? null)}
        data-testid="import-file"
      />
      {tooBig && (
        <p className="text-sm font-medium text-red-600" role="alert">
          {t('contacts.import.tooBig')}
        </p>
      )}
      <p className="text-xs text-slate-500">{t('contacts.import.columnsHelp')}</p>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button onClick={onUpload} disabled={!file || tooBig || pending} loading={pending} data-testid="import-upload">
          {t('contacts.import.preview')}
        </Button>
      </DialogFooter>
    </div>
  )
}
