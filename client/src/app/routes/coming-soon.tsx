import { Construction } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Card } from '@/components/ui/card'
import { useT } from '@/lib/i18n'
import { useRouteTitleKey } from '../route-handle'

export default function ComingSoonRoute() {
  const t = useT()
  const titleKey = useRouteTitleKey()
  return (
    <Card className="mx-auto mt-8 flex max-w-lg flex-col items-center gap-3 p-10 text-center" data-testid="coming-soon">
      <span className="flex size-14 items-center justify-center rounded-full bg-emerald-50 text-emerald-700">
        <Construction className="size-7" aria-hidden />
      </span>
      <h1 className="text-xl font-semibold text-slate-900">{titleKey ? t(titleKey) : t('comingSoon.title')}</h1>
      <Badge tone="info">{t('comingSoon.title')}</Badge>
      <p className="text-sm text-slate-500">{t('comingSoon.body')}</p>
    </Card>
  )
}
