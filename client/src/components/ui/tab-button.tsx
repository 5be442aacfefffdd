import type { ReactNode } from 'react'
import { cn } from '@/lib/utils'

type Props = { active: boolean; onClick: () => void; children: ReactNode; testId: string }

/** One tab of a page's tab bar (the bar is the caller's `role="tablist"`). */
export function TabButton({ active, onClick, children, testId }: Props) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      onClick={onClick}
      className={cn(
        'inline-flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
        active ? 'border-emerald-600 text-emerald-800' : 'border-transparent text-slate-500 hover:text-slate-900',
      )}
      data-testid={testId}
    >
      {children}
    </button>
  )
}
