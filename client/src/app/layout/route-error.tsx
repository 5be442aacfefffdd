import { isRouteErrorResponse, useRouteError } from 'react-router'
import { Button } from '@/components/ui/button'
import { useT } from '@/lib/i18n'

// Most often a lazy chunk that no longer exists after a deploy: a reload fetches the new build.
export function RouteError() {
  const t = useT()
  const error = useRouteError()
  const notFound = isRouteErrorResponse(error) && error.status === 404
  return (
    <div role="alert" className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-xl font-semibold text-slate-900">{notFound ? t('errors.notFoundTitle') : t('errors.unexpected')}</h1>
      <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>
    </div>
  )
}
