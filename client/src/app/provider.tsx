import type { ReactNode } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { Toaster } from '@/components/ui/toaster'
import { useT } from '@/lib/i18n'
import { queryClient } from '@/lib/query-client'

export function AppProvider({ children }: { children: ReactNode }) {
  const t = useT()
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster closeLabel={t('common.close')} />
    </QueryClientProvider>
  )
}
