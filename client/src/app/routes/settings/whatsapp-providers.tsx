import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useCredentials } from '@/features/whatsapp/api/credentials'
import { CredentialForm } from '@/features/whatsapp/components/credential-form'
import { CredentialsTable } from '@/features/whatsapp/components/credentials-table'
import { SandboxCard } from '@/features/whatsapp/components/sandbox-card'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

export default function WhatsAppProvidersRoute() {
  const t = useT()
  const me = useMe()
  const isAdmin = isCompanyAdmin(me.data)
  const credentials = useCredentials({ enabled: isAdmin })
  if (me.isPending) return <Spinner label={t('common.loading')} />
  if (!isAdmin) return <Alert tone="info">{t('whatsapp.providersAdminsOnly')}</Alert>
  const hasEvolution = credentials.data?.some((item) => item.provider === 'EVOLUTION' && item.isActive) ?? false
  return (
    <div className="grid gap-6" data-testid="providers-page">
      <SandboxCard hasEvolution={hasEvolution} />
      <Card>
        <CardHeader>
          <CardTitle>{t('whatsapp.providersTitle')}</CardTitle>
          <CardDescription>{t('whatsapp.providersSubtitle')}</CardDescription>
        </CardHeader>
        <CardContent>
          {credentials.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : credentials.isError ? (
            <Alert>{errorMessage(credentials.error, t)}</Alert>
          ) : (
            <CredentialsTable credentials={credentials.data} />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('whatsapp.addCredentialTitle')}</CardTitle>
          <CardDescription>{t('whatsapp.addCredentialBody')}</CardDescription>
        </CardHeader>
        <CardContent>
          <CredentialForm />
        </CardContent>
      </Card>
    </div>
  )
}
