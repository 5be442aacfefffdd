import { Badge } from '@/components/ui/badge'
import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import type { Step } from '../api/types'
import { isKnownSubtype, NODE_SPEC } from '../catalogue'
import { detailText, handleLabel } from './handle-label'

const RESULT_TONE: Record<string, 'success' | 'neutral' | 'danger' | 'info' | 'warning'> = {
  success: 'success',
  skipped: 'neutral',
  failed: 'danger',
  waiting: 'info',
  timeout: 'warning',
}

const RESULT_KEY: Record<string, MessageKey> = {
  success: 'flows.result.success',
  skipped: 'flows.result.skipped',
  failed: 'flows.result.failed',
  waiting: 'flows.result.waiting',
  timeout: 'flows.result.timeout',
}

/** A run's path, step by step: node, result, the output it left by, when, and the detail. */
export function PathSteps({ steps, onPick, testId = 'flow-path' }: { steps: Step[]; onPick?: (nodeId: string) => void; testId?: string }) {
  const t = useT()
  const format = useFormat()
  if (steps.length === 0) return <p className="text-sm text-slate-500">{t('flows.path.empty')}</p>
  return (
    <ol className="grid gap-2" data-testid={testId}>
      {steps.map((step, index) => {
        const detail = detailText(step.detail)
        const kindLabel = isKnownSubtype(step.subtype) ? t(NODE_SPEC[step.subtype].labelKey) : step.subtype
        return (
          <li key={index} className="grid gap-0.5 rounded-md border border-slate-200 bg-white px-2.5 py-2 text-sm" data-testid="flow-path-step">
            <div className="flex items-center gap-2">
              <span className="w-5 text-right text-xs text-slate-400 tabular-nums">{index + 1}.</span>
              <button
                type="button"
                className="truncate font-medium text-slate-900 hover:underline disabled:no-underline"
                disabled={!onPick}
                onClick={() => onPick?.(step.nodeId)}
              >
                {step.label || kindLabel}
              </button>
              <Badge tone={RESULT_TONE[step.result] ?? 'neutral'} className="ml-auto shrink-0" data-testid="flow-path-result" data-result={step.result}>
                {RESULT_KEY[step.result] ? t(RESULT_KEY[step.result]) : step.result}
              </Badge>
            </div>
            <div className="flex flex-wrap gap-x-3 pl-7 text-xs text-slate-500">
              <span>
                {kindLabel} · <span className="font-mono">{step.nodeId}</span>
              </span>
              {step.handle && <span>→ {handleLabel(step.handle, t)}</span>}
              {step.at && <time dateTime={step.at}>{format.dateTime(step.at)}</time>}
            </div>
            {detail && (
              <p className="pl-7 font-mono text-xs break-all text-slate-600" data-testid="flow-path-detail">
                {detail}
              </p>
            )}
          </li>
        )
      })}
    </ol>
  )
}
