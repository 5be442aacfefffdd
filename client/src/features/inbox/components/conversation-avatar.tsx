import { useState } from 'react'
import { Users } from 'lucide-react'
import { cn } from '@/lib/utils'
import { initials } from '../format'

// A stable colour per conversation, as WhatsApp Web does for avatars without a photo.
const COLOURS = ['bg-emerald-600', 'bg-sky-600', 'bg-violet-600', 'bg-amber-600', 'bg-rose-600', 'bg-teal-600', 'bg-indigo-600']

function colourOf(seed: string): string {
  let hash = 0
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return COLOURS[Math.abs(hash) % COLOURS.length]
}

type Props = { name: string | null; seed: string; isGroup: boolean; photoUrl?: string | null; className?: string }

export function ConversationAvatar({ name, seed, isGroup, photoUrl, className }: Props) {
  const [broken, setBroken] = useState(false)
  if (photoUrl && !broken) {
    return (
      <img
        src={photoUrl}
        alt=""
        loading="lazy"
        onError={() => setBroken(true)}
        className={cn('size-11 shrink-0 rounded-full object-cover', className)}
        data-testid="conversation-photo"
      />
    )
  }
  return (
    <span
      className={cn('flex size-11 shrink-0 items-center justify-center rounded-full text-sm font-semibold text-white', colourOf(seed), className)}
      aria-hidden
    >
      {isGroup ? <Users className="size-5" /> : initials(name)}
    </span>
  )
}
