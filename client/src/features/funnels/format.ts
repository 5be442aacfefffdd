import { useLocale } from '@/lib/i18n'

const DAY_MS = 86_400_000

/** Whole days since `from` (never negative: clocks disagree by a few seconds). */
export function daysSince(from: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / DAY_MS))
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`
}

/** Money in the deal's currency (BRL unless the deal says otherwise), in the UI's language. */
export function useMoney() {
  const locale = useLocale()
  return (value: number, currency = 'BRL') =>
    new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value)
}

/**
 * Reads an amount typed the Brazilian way ("1.500,50") or the plain way ("1500.50").
 * Answers null for anything that is not a non-negative amount.
 */
export function parseAmount(text: string): number | null {
  let value = text.replace(/[^\d,.-]/g, '')
  if (!value) return null
  if (value.includes(',')) value = value.replace(/\./g, '').replace(',', '.')
  // "2.000" is two thousand (money has two decimals, never three).
  else if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replace(/\./g, '')
  const amount = Number(value)
  return Number.isFinite(amount) && amount >= 0 ? Math.round(amount * 100) / 100 : null
}

/** The amount as the value field shows it for editing ("1500,5" in pt-BR, "1500.5" in English). */
export const amountText = (value: number, locale: string) =>
  new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 2 }).format(value)
