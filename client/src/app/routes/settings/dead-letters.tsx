import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { DeadLettersPanel } from '@/features/dead-letters/components/dead-letters-panel'
import { useT } from '@/lib/i18n'

export default function DeadLettersRoute() {
  const t = useT()
  const me = useMe()
  if (me.isPending) return <Spinner label={t('common.loading')} />
  // The API refuses anyway (403); this only avoids showing an empty, broken page.
  if (!isCompanyAdmin(me.data)) return <Alert tone="info">{t('deadLetters.adminsOnly')}</Alert>
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('deadLetters.title')}</CardTitle>
        <CardDescription>{t('deadLetters.subtitle')}</CardDescription>
      </CardHeader>
      <CardContent>
        <DeadLettersPanel />
      </CardContent>
    </Card>
  )
}
