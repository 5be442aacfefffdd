import { useEffect, useState } from 'react'
import { Outlet } from 'react-router'
import { MessagesSquare } from 'lucide-react'
import { Dialog as DialogPrimitive } from 'radix-ui'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { isCompanyAdmin, isSuperAdmin, useMe } from '@/features/auth/api/me'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useRealtime } from '../realtime'
import { useRouteTitleKey } from '../route-handle'
import { SidebarNav } from './sidebar-nav'
import { Topbar } from './topbar'

function Brand() {
  const t = useT()
  return (
    <div className="flex h-14 items-center gap-2 px-6 font-semibold text-white">
      <MessagesSquare className="size-5" aria-hidden />
      {t('app.name')}
    </div>
  )
}

function useDocumentTitle() {
  const t = useT()
  const titleKey = useRouteTitleKey()
  useEffect(() => {
    document.title = titleKey ? `${t(titleKey)} · ${t('app.name')}` : t('app.name')
  }, [t, titleKey])
}

export function AppLayout() {
  const t = useT()
  const me = useMe()
  const [menuOpen, setMenuOpen] = useState(false)
  const superAdmin = isSuperAdmin(me.data)
  const companyAdmin = isCompanyAdmin(me.data)
  useRealtime()
  useDocumentTitle()

  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_1fr]">
      <aside className="hidden bg-emerald-900 md:sticky md:top-0 md:flex md:h-dvh md:flex-col md:overflow-y-auto" data-testid="sidebar">
        <Brand />
        <SidebarNav superAdmin={superAdmin} companyAdmin={companyAdmin} />
      </aside>

      {/* Small screens: the same navigation in a slide-in panel. */}
      <DialogPrimitive.Root open={menuOpen} onOpenChange={setMenuOpen}>
        <DialogPrimitive.Portal>
          <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-900/40 md:hidden" />
          <DialogPrimitive.Content
            className="fixed inset-y-0 left-0 z-50 w-64 overflow-y-auto bg-emerald-900 shadow-xl data-[state=open]:animate-in data-[state=open]:slide-in-from-left md:hidden"
            aria-describedby={undefined}
          >
            <DialogPrimitive.Title className="sr-only">{t('nav.main')}</DialogPrimitive.Title>
            <Brand />
            <SidebarNav superAdmin={superAdmin} companyAdmin={companyAdmin} onNavigate={() => setMenuOpen(false)} />
          </DialogPrimitive.Content>
        </DialogPrimitive.Portal>
      </DialogPrimitive.Root>

      <div className="flex min-w-0 flex-col">
        <Topbar onOpenMenu={() => setMenuOpen(true)} />
        <main className="mx-auto w-full max-w-6xl flex-1 p-4 md:p-8" data-testid="main">
          {me.isError ? (
            <div className="grid gap-3">
              <Alert>{errorMessage(me.error, t)}</Alert>
              <Button variant="outline" className="w-fit" onClick={() => void me.refetch()}>
                {t('common.retry')}
              </Button>
            </div>
          ) : (
            <Outlet />
          )}
        </main>
      </div>
    </div>
  )
}
