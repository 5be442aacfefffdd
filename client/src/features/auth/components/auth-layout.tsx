import type { ReactNode } from 'react'
import { MessagesSquare } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { LanguageSwitch } from '@/components/language-switch'

type AuthLayoutProps = { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }

export function AuthLayout({ title, subtitle, children, footer }: AuthLayoutProps) {
  const t = useT()
  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-br from-emerald-50 via-white to-slate-100">
      <header className="flex items-center justify-between p-4">
        <div className="flex items-center gap-2 font-semibold text-emerald-800">
          <MessagesSquare className="size-6" aria-hidden />
          {t('app.name')}
        </div>
        <LanguageSwitch />
      </header>
      <main className="flex flex-1 items-center justify-center px-4 pb-16">
        <div className="w-full max-w-sm">
          <div className="mb-6 text-center">
            <h1 className="text-2xl font-bold text-slate-900">{title}</h1>
            {subtitle && <p className="mt-1 text-sm text-slate-500">{subtitle}</p>}
          </div>
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
          {footer && <p className="mt-4 text-center text-sm text-slate-600">{footer}</p>}
          <p className="mt-8 text-center text-xs text-slate-400">{t('app.tagline')}</p>
        </div>
      </main>
    </div>
  )
}
