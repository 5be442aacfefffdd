export type MeterLevel = 'ok' | 'warning' | 'full' | 'unlimited'

export const WARNING_RATIO = 0.8

/** How close `used` is to `limit`; `null` means the plan has no limit. */
export function meterLevel(used: number, limit: number | null): MeterLevel {
  if (limit === null) return 'unlimited'
  if (limit <= 0 || used >= limit) return 'full'
  return used / limit >= WARNING_RATIO ? 'warning' : 'ok'
}

/** Bar width in percent (0–100); an unlimited meter shows an empty bar. */
export function meterPercent(used: number, limit: number | null): number {
  if (limit === null) return 0
  if (limit <= 0) return 100
  return Math.min(100, Math.max(0, (used / limit) * 100))
}
