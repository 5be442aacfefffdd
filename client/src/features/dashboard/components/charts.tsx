// Loaded lazily: recharts is the heaviest library we ship and the numbers above it come first.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useLocale, useT } from '@/lib/i18n'
import type { DashboardMetrics } from '../api/dashboard'
import { formatMoney } from '../format'

export default function DashboardCharts({ metrics }: { metrics: DashboardMetrics }) {
  const t = useT()
  const locale = useLocale()
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' })
  const series = metrics.series.map((point) => ({ ...point, label: day.format(new Date(`${point.date}T00:00:00Z`)) }))
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="h-64" aria-label={t('dashboard.chart.messages')} data-testid="chart-messages">
        <figcaption className="mb-2 text-sm font-medium text-slate-700">{t('dashboard.chart.messages')}</figcaption>
        <ResponsiveContainer width="100%" height="90%">
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            <Line type="monotone" dataKey="received" name={t('dashboard.kpi.received')} stroke="#059669" dot={false} />
            <Line type="monotone" dataKey="sent" name={t('dashboard.kpi.sent')} stroke="#2563eb" dot={false} />
            <Line type="monotone" dataKey="newContacts" name={t('dashboard.kpi.newContacts')} stroke="#d97706" dot={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="h-64" aria-label={t('dashboard.chart.funnel')} data-testid="chart-funnel">
        <figcaption className="mb-2 text-sm font-medium text-slate-700">{t('dashboard.chart.funnel')}</figcaption>
        <ResponsiveContainer width="100%" height="90%">
          <BarChart data={metrics.funnel} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} fontSize={12} />
            <YAxis type="category" dataKey="stageName" width={110} fontSize={12} />
            <Tooltip
              formatter={(value, _name, item) => {
                const stage = item.payload as DashboardMetrics['funnel'][number]
                return [`${String(value)} · ${formatMoney(stage.dealValue, locale)}`, t('dashboard.chart.deals')]
              }}
            />
            <Bar dataKey="dealCount" fill="#10b981" radius={[0, 4, 4, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  )
}
