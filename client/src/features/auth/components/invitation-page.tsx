import { useEffect, useState, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, Navigate } from 'react-router'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Spinner } from '@/components/ui/spinner'
import { ApiError } from '@/lib/api-client'
import { useIsAuthenticated } from '@/lib/auth-store'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { loginPathReturningTo } from '@/lib/next-path'
import { toast } from '@/lib/toast'
import {
  useAcceptInvitation,
  useAcceptWithNewAccount,
  useInvitationPreview,
  type InvitationPreview,
} from '../api/invitation'
import { meQueryOptions } from '../api/me'
import { useLogout } from '../api/session'
import { useSwitchCompany } from '../api/switch-company'
import { AuthLayout } from './auth-layout'
import { InvitationSignupForm } from './invitation-signup-form'
import { InvitationSummary } from './invitation-summary'

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()
const linkClass = 'font-medium text-emerald-700 hover:underline'

/**
 * /invite/:token — open to everyone. The requests live here, not in the child views: accepting
 * changes the session and the cache, which re-renders (and may unmount) whatever showed the button.
 */
export function InvitationPage({ token }: { token: string }) {
  const t = useT()
  const queryClient = useQueryClient()
  const authenticated = useIsAuthenticated()
  const invitation = useInvitationPreview(token)
  const me = useQuery({ ...meQueryOptions, enabled: authenticated })
  const accept = useAcceptInvitation(token)
  const acceptNew = useAcceptWithNewAccount(token)
  const switchCompany = useSwitchCompany()
  const logout = useLogout()
  const [joined, setJoined] = useState(false)
  const here = `/invite/${encodeURIComponent(token)}`

  useEffect(() => {
    document.title = `${t('invite.title')} · ${t('app.name')}`
  }, [t])

  async function acceptAsMe() {
    let companyId: string
    try {
      companyId = (await accept.mutateAsync()).company.id
    } catch {
      return // shown from accept.error
    }
    try {
      await switchCompany.mutateAsync(companyId)
    } catch {
      toast(t('invite.switchFailed'), 'error')
      // The new membership must show up in the company lists (switcher, or the no-company page).
      void queryClient.invalidateQueries({ queryKey: meQueryOptions.queryKey })
    }
    setJoined(true)
  }

  // Signed out, this same page offers both ways in: a new account, or logging in to accept.
  const signOutAndSwitch = () => logout.mutate()

  if (joined || acceptNew.isSuccess) return <Navigate to="/" replace />

  const footer = (
    <Link to={authenticated ? '/' : '/login'} className={linkClass} data-testid="invite-footer-link">
      {authenticated ? t('invite.toDashboard') : t('invite.toLogin')}
    </Link>
  )

  // After a successful accept the preview answers 404 (the link is used): keep the spinner up.
  if (accept.isSuccess || invitation.isPending) {
    return (
      <AuthLayout title={t('invite.title')} footer={footer}>
        <Spinner label={accept.isSuccess ? t('invite.joining') : t('common.loading')} />
      </AuthLayout>
    )
  }

  if (invitation.isError) {
    const invalid = invitation.error instanceof ApiError && invitation.error.status === 404
    return (
      <AuthLayout title={t('invite.invalidTitle')} footer={footer}>
        {invalid ? (
          <p className="text-sm text-slate-700" data-testid="invite-invalid">
            {t('invite.invalidBody')}
          </p>
        ) : (
          <div className="grid gap-3">
            <Alert>{errorMessage(invitation.error, t)}</Alert>
            <Button variant="outline" onClick={() => void invitation.refetch()}>
              {t('common.retry')}
            </Button>
          </div>
        )}
      </AuthLayout>
    )
  }

  const data = invitation.data
  let action: ReactNode
  if (!authenticated) {
    // The preview does not say whether the e-mail has an account (that would let anyone probe
    // for accounts): offer both, and if creating one answers 409, point firmly at logging in.
    const accountExists = acceptNew.error instanceof ApiError && acceptNew.error.status === 409
    action = accountExists ? (
      <div className="grid gap-3" data-testid="invite-account-exists">
        <Alert tone="info">{errorMessage(acceptNew.error, t)}</Alert>
        <Link to={loginPathReturningTo(here)} className={buttonVariants()} data-testid="invite-login">
          {t('invite.loginToAccept')}
        </Link>
      </div>
    ) : (
      <div className="grid gap-3">
        <p className="text-sm text-slate-700">{t('invite.createAccount', { company: data.companyName })}</p>
        <InvitationSignupForm
          email={data.email}
          onSubmit={(input) => acceptNew.mutate(input)}
          pending={acceptNew.isPending}
          error={acceptNew.error}
        />
        <div className="flex items-center gap-3 text-xs text-slate-400" aria-hidden>
          <span className="h-px flex-1 bg-slate-200" />
          {t('invite.or')}
          <span className="h-px flex-1 bg-slate-200" />
        </div>
        <Link to={loginPathReturningTo(here)} className={buttonVariants({ variant: 'outline' })} data-testid="invite-login">
          {t('invite.haveAccount')}
        </Link>
      </div>
    )
  } else if (me.isPending) {
    action = <Spinner label={t('common.loading')} />
  } else if (me.isError) {
    action = <Alert>{errorMessage(me.error, t)}</Alert>
  } else if (sameEmail(me.data.email, data.email)) {
    action = (
      <div className="grid gap-3">
        <p className="text-sm text-slate-700">{t('invite.signedInAs', { email: me.data.email })}</p>
        {accept.error && <Alert>{errorMessage(accept.error, t)}</Alert>}
        <Button loading={accept.isPending} onClick={() => void acceptAsMe()} data-testid="invite-accept">
          {t('invite.accept')}
        </Button>
      </div>
    )
  } else {
    action = (
      <div className="grid gap-3" data-testid="invite-mismatch">
        <Alert tone="info">{t('invite.mismatch', { invited: data.email, current: me.data.email })}</Alert>
        <Button
          variant="outline"
          loading={logout.isPending}
          onClick={signOutAndSwitch}
          data-testid="invite-switch-account"
        >
          {t('invite.switchAccount')}
        </Button>
      </div>
    )
  }

  // Signed out, the login link above already returns here; a plain one would lose the invitation.
  return (
    <InvitationLayout invitation={data} footer={authenticated ? footer : undefined}>
      {action}
    </InvitationLayout>
  )
}

function InvitationLayout({ invitation, footer, children }: { invitation: InvitationPreview; footer?: ReactNode; children: ReactNode }) {
  const t = useT()
  return (
    <AuthLayout
      title={t('invite.heading')}
      subtitle={t('invite.subtitle', { inviter: invitation.invitedBy, company: invitation.companyName })}
      footer={footer}
    >
      <div className="grid gap-5" data-testid="invite-page">
        <InvitationSummary invitation={invitation} />
        <hr className="border-slate-200" />
        {children}
      </div>
    </AuthLayout>
  )
}
