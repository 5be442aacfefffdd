import { cn } from '@/lib/utils'

type ProgressProps = {
  /** 0–100 */
  value: number
  label: string
  valueText?: string
  className?: string
  indicatorClassName?: string
}

export function Progress({ value, label, valueText, className, indicatorClassName }: ProgressProps) {
  const clamped = Math.min(100, Math.max(0, value))
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      aria-valuetext={valueText}
      className={cn('h-2 w-full overflow-hidden rounded-full bg-slate-200', className)}
    >
      <div className={cn('h-full rounded-full transition-all', indicatorClassName)} style={{ width: `${clamped}%` }} />
    </div>
  )
}
