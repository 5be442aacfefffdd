import { Link } from 'react-router'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { useLocale, useT } from '@/lib/i18n'
import type { ContactDeal, DealStatus } from '../api/types'

const STATUS_TONE: Record<DealStatus, 'info' | 'success' | 'danger'> = { OPEN: 'info', WON: 'success', LOST: 'danger' }

export function ContactDealsCard({ deals }: { deals: ContactDeal[] }) {
  const t = useT()
  const locale = useLocale()
  // The contact's deal summary carries no currency; the CRM's default is BRL.
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' })
  return (
    <Card data-testid="contact-deals">
      <CardHeader>
        <CardTitle>{t('contacts.deals.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        {deals.length === 0 ? (
          <p className="text-sm text-slate-500">{t('contacts.deals.empty')}</p>
        ) : (
          <ul className="grid gap-2">
            {deals.map((deal) => (
              <li key={deal.id}>
                <Link
                  to={`/funnels/${encodeURIComponent(deal.funnelId)}`}
                  className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 p-3 hover:border-emerald-300 hover:bg-emerald-50/40"
                  data-testid="contact-deal"
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium text-slate-900">{deal.title}</span>
                    <span className="text-xs text-slate-500">{deal.stage.name}</span>
                  </span>
                  <span className="flex shrink-0 flex-col items-end gap-1">
                    <span className="text-sm font-semibold tabular-nums text-slate-900">{money.format(deal.value ?? 0)}</span>
                    <Badge tone={STATUS_TONE[deal.status] ?? 'neutral'}>{t(`contacts.deals.status.${deal.status}`)}</Badge>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
