import { Bot } from 'lucide-react'
import { formatUsd } from '@/features/ai/format'
import { useFormat, useLocale, useT } from '@/lib/i18n'
import { useUsage } from '../api/usage'

/** The AI's tokens and cost this month, from /api/company/usage. */
export function AiUsageLine() {
  const t = useT()
  const format = useFormat()
  const locale = useLocale()
  const usage = useUsage()
  const ai = usage.data?.ai
  if (!ai) return null
  return (
    <div className="grid gap-1 border-t border-slate-100 pt-4" data-testid="usage-ai">
      <p className="flex items-center gap-1.5 text-sm font-medium text-slate-800">
        <Bot className="size-4" aria-hidden />
        {t('ai.usage.planTitle')}
      </p>
      <p className="text-sm text-slate-600">
        {t('ai.usage.planLine', {
          tokens: format.number(ai.tokens),
          cost: formatUsd(ai.costUsd, locale),
          calls: format.number(ai.calls),
        })}
      </p>
    </div>
  )
}
