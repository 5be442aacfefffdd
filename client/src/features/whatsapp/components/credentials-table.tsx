import { Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Badge } from '@/components/ui/badge'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeleteCredential } from '../api/credentials'
import type { Credential } from '../api/types'

function DeleteCredentialDialog({ credential }: { credential: Credential }) {
  const t = useT()
  const remove = useDeleteCredential()
  return (
    <ConfirmDestructiveDialog
      icon={<Trash2 aria-hidden />}
      title={t('whatsapp.deleteCredentialTitle', { provider: t(`whatsapp.providerName.${credential.provider}`) })}
      description={t('whatsapp.deleteCredentialBody', { url: credential.apiUrl })}
      confirmLabel={t('common.remove')}
      testId="credential-delete"
      pending={remove.isPending}
      error={remove.error}
      onReset={() => remove.reset()}
      onConfirm={(close) =>
        remove.mutate(credential.id, {
          onSuccess: () => {
            toast(t('whatsapp.credentialDeleted'))
            close()
          },
        })
      }
    />
  )
}

export function CredentialsTable({ credentials }: { credentials: Credential[] }) {
  const t = useT()
  const format = useFormat()
  if (credentials.length === 0) {
    return (
      <p className="p-6 text-center text-sm text-slate-500" data-testid="credentials-empty">
        {t('whatsapp.credentialsEmpty')}
      </p>
    )
  }
  return (
    <Table data-testid="credentials-table">
      <TableHeader>
        <TableRow>
          <TableHead>{t('whatsapp.provider')}</TableHead>
          <TableHead>{t('whatsapp.apiUrl')}</TableHead>
          <TableHead>{t('whatsapp.col.status')}</TableHead>
          <TableHead>{t('whatsapp.col.created')}</TableHead>
          <TableHead className="text-right">{t('team.col.actions')}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {credentials.map((credential) => (
          <TableRow key={credential.id} data-testid="credential-row" data-provider={credential.provider}>
            <TableCell className="font-medium text-slate-900">{t(`whatsapp.providerName.${credential.provider}`)}</TableCell>
            <TableCell className="max-w-xs truncate font-mono text-xs" title={credential.apiUrl}>
              {credential.apiUrl}
            </TableCell>
            <TableCell>
              <Badge tone={credential.isActive ? 'success' : 'neutral'}>
                {credential.isActive ? t('whatsapp.active') : t('whatsapp.inactive')}
              </Badge>
            </TableCell>
            <TableCell>{format.date(credential.createdAt)}</TableCell>
            <TableCell className="text-right">
              <DeleteCredentialDialog credential={credential} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
