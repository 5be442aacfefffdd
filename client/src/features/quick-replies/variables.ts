import type { MessageKey } from '@/lib/i18n'

/** The variables the server fills (docs/api-crm.md, "Quick replies"), with a sample for previews. */
export const VARIABLES: { token: string; labelKey: MessageKey; sample: (now: Date) => string }[] = [
  { token: '{{contact.name}}', labelKey: 'quickReplies.var.contactName', sample: () => 'Maria Silva' },
  { token: '{{contact.firstName}}', labelKey: 'quickReplies.var.contactFirstName', sample: () => 'Maria' },
  { token: '{{contact.phone}}', labelKey: 'quickReplies.var.contactPhone', sample: () => '+5511987654321' },
  { token: '{{contact.email}}', labelKey: 'quickReplies.var.contactEmail', sample: () => 'maria@exemplo.com.br' },
  { token: '{{company.name}}', labelKey: 'quickReplies.var.companyName', sample: () => 'Loja Exemplo' },
  { token: '{{user.name}}', labelKey: 'quickReplies.var.userName', sample: () => 'Ana' },
  { token: '{{date}}', labelKey: 'quickReplies.var.date', sample: (now) => now.toLocaleDateString('pt-BR') },
  {
    token: '{{time}}',
    labelKey: 'quickReplies.var.time',
    sample: (now) => now.toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' }),
  },
]

const VARIABLE = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

/** The content as the server would render it, with sample values; unknown variables stay. */
export function previewText(content: string, names: Partial<Record<string, string>> = {}, now = new Date()): string {
  const known = new Map(VARIABLES.map((v) => [v.token.slice(2, -2).toLowerCase(), v.sample(now)]))
  for (const [token, value] of Object.entries(names)) if (value) known.set(token.toLowerCase(), value)
  return content.replace(VARIABLE, (whole, name: string) => known.get(name.toLowerCase()) ?? whole)
}
