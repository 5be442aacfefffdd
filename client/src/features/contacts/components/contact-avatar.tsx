import { useState } from 'react'
import { cn } from '@/lib/utils'
import { initials } from '../format'

// The same stable colour per contact as the inbox, so a person looks alike on both pages.
const COLOURS = ['bg-emerald-600', 'bg-sky-600', 'bg-violet-600', 'bg-amber-600', 'bg-rose-600', 'bg-teal-600', 'bg-indigo-600']

function colourOf(seed: string): string {
  let hash = 0
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return COLOURS[Math.abs(hash) % COLOURS.length]
}

type Props = { name: string; seed: string; photoUrl?: string | null; className?: string }

export function ContactAvatar({ name, seed, photoUrl, className }: Props) {
  const [broken, setBroken] = useState(false)
  if (photoUrl && !broken) {
    return (
      <img
        src={photoUrl}
        alt=""
        loading="lazy"
        onError={() => setBroken(true)}
        className={cn('size-9 shrink-0 rounded-full object-cover', className)}
      />
    )
  }
  return (
    <span
      className={cn('flex size-9 shrink-0 items-center justify-center rounded-full text-xs font-semibold text-white', colourOf(seed), className)}
      aria-hidden
    >
      {initials(name)}
    </span>
  )
}
