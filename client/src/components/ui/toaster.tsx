import { X } from 'lucide-react'
import { useToastStore } from '@/lib/toast'
import { cn } from '@/lib/utils'

export function Toaster({ closeLabel }: { closeLabel: string }) {
  const toasts = useToastStore((state) => state.toasts)
  const dismiss = useToastStore((state) => state.dismiss)
  return (
    <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-80 max-w-[calc(100%-2rem)] flex-col gap-2">
      {toasts.map((item) => (
        <div
          key={item.id}
          role={item.tone === 'error' ? 'alert' : 'status'}
          data-testid="toast"
          className={cn(
            'pointer-events-auto flex items-start gap-2 rounded-lg border px-3 py-2 text-sm shadow-lg',
            item.tone === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-emerald-200 bg-white text-slate-800',
          )}
        >
          <p className="flex-1">{item.message}</p>
          <button type="button" onClick={() => dismiss(item.id)} aria-label={closeLabel} className="text-slate-500 hover:text-slate-900">
            <X className="size-4" aria-hidden />
          </button>
        </div>
      ))}
    </div>
  )
}
