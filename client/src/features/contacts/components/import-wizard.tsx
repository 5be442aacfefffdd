import { useState } from 'react'
import { FileUp } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useImportContacts } from '../api/import'
import type { ImportResult } from '../api/types'
import { ImportChooseStep } from './import-choose-step'
import { ImportCounts } from './import-counts'
import { ImportPreviewStep } from './import-preview-step'
import { ImportRowsTable } from './import-rows-table'

type Step = { name: 'choose' } | { name: 'preview'; result: ImportResult } | { name: 'done'; result: ImportResult }

/** Choose a CSV → the server checks it without saving (dryRun) → confirm → what happened. */
export function ImportWizard() {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [step, setStep] = useState<Step>({ name: 'choose' })
  const [file, setFile] = useState<File | null>(null)
  const [tagIds, setTagIds] = useState<string[]>([])
  const importContacts = useImportContacts()

  function onOpenChange(next: boolean) {
    // An import that is being saved finishes on the server anyway; keep the dialog until it answers.
    if (!next && importContacts.isPending) return
    setOpen(next)
    if (!next) {
      setStep({ name: 'choose' })
      setFile(null)
      setTagIds([])
      importContacts.reset()
    }
  }

  function upload(dryRun: boolean) {
    if (!file) return
    importContacts.mutate(
      { file, dryRun, tagIds },
      {
        onSuccess: (result) => {
          setStep(dryRun ? { name: 'preview', result } : { name: 'done', result })
          if (!dryRun) toast(t('contacts.import.finished', { count: result.created }))
        },
      },
    )
  }

  function chooseFile(next: File | null) {
    setFile(next)
    importContacts.reset()
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="contact-import">
          <FileUp aria-hidden />
          {t('contacts.importCsv')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-w-3xl" data-testid="import-wizard" data-step={step.name}>
        <DialogHeader>
          <DialogTitle>{t('contacts.import.title')}</DialogTitle>
          <DialogDescription>{t(`contacts.import.step.${step.name}`)}</DialogDescription>
        </DialogHeader>
        {importContacts.error != null && <Alert data-testid="import-error">{errorMessage(importContacts.error, t)}</Alert>}
        {step.name === 'choose' && (
          <ImportChooseStep
            file={file}
            onFile={chooseFile}
            pending={importContacts.isPending}
            onCancel={() => onOpenChange(false)}
            onUpload={() => upload(true)}
          />
        )}
        {step.name === 'preview' && (
          <ImportPreviewStep
            result={step.result}
            tagIds={tagIds}
            onTagIds={setTagIds}
            pending={importContacts.isPending}
            onBack={() => {
              importContacts.reset()
              setFile(null)
              setStep({ name: 'choose' })
            }}
            onConfirm={() => upload(false)}
          />
        )}
        {step.name === 'done' && (
          <div className="grid gap-4" data-testid="import-result">
            <ImportCounts result={step.result} final />
            {step.result.rows.some((row) => row.status === 'invalid' || row.status === 'duplicate') && (
              <>
                <p className="text-sm text-slate-600">{t('contacts.import.skippedRows')}</p>
                <ImportRowsTable rows={step.result.rows.filter((row) => row.status === 'invalid' || row.status === 'duplicate')} />
              </>
            )}
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)} data-testid="import-done">
                {t('contacts.import.done')}
              </Button>
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  )
}
