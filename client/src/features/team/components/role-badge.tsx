import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import type { Role } from '@/types/api'

const ROLE_TONE: Record<Role, 'success' | 'info' | 'neutral'> = { admin: 'success', coordinator: 'info', member: 'neutral' }

export function RoleBadge({ role }: { role: Role }) {
  const t = useT()
  return <Badge tone={ROLE_TONE[role] ?? 'neutral'}>{t(`role.${role}`)}</Badge>
}
