import { Link } from 'react-router'
import { buttonVariants } from '@/components/ui/button-variants'
import { useT } from '@/lib/i18n'

export default function NotFoundRoute() {
  const t = useT()
  return (
    <div className="mx-auto mt-12 flex max-w-md flex-col items-center gap-3 text-center">
      <h1 className="text-xl font-semibold text-slate-900">{t('errors.notFoundTitle')}</h1>
      <p className="text-sm text-slate-500">{t('errors.notFoundBody')}</p>
      <Link to="/" className={buttonVariants({ variant: 'outline' })}>
        {t('errors.backHome')}
      </Link>
    </div>
  )
}
