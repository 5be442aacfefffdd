import { Spinner } from '@/components/ui/spinner'
import { useT } from '@/lib/i18n'

export function PageLoading() {
  const t = useT()
  return <Spinner label={t('common.loading')} className="min-h-dvh" />
}
