/** "+55 11 99999-8888" for Brazilian numbers, "+<digits>" otherwise. */
export function formatPhone(number: string | null | undefined): string {
  if (!number) return ''
  const digits = number.replace(/\D/g, '')
  const br = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(digits)
  if (br) return `+55 ${br[1]} ${br[2]}-${br[3]}`
  return digits ? `+${digits}` : number
}

export const phoneDigits = (value: string) => value.replace(/\D/g, '')

/** The API's rule: 8–15 digits once `+`, spaces, dashes, dots and parentheses are gone. */
export function isValidPhone(value: string): boolean {
  const stripped = value.trim().replace(/[+\s\-.()]/g, '')
  return /^\d{8,15}$/.test(stripped)
}

export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter((word) => /\p{L}/u.test(word))
  if (words.length === 0) return '#'
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase()
}

const HEX = /^#([0-9a-f]{6})$/i

/** Black or white text, whichever reads better on the tag's colour (WCAG relative luminance). */
export function textOn(color: string): string {
  const match = HEX.exec(color)
  if (!match) return '#ffffff'
  const channel = (offset: number) => {
    const value = parseInt(match[1].slice(offset, offset + 2), 16) / 255
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
  return luminance > 0.4 ? '#0f172a' : '#ffffff'
}

export const isHexColor = (value: string) => HEX.test(value)

export const TAG_COLOURS = ['#6B7280', '#EF4444', '#F59E0B', '#10B981', '#0EA5E9', '#6366F1', '#A855F7', '#EC4899'] as const
