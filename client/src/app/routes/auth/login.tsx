import { Link } from 'react-router'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { LoginForm } from '@/features/auth/components/login-form'
import { useT } from '@/lib/i18n'

export default function LoginRoute() {
  const t = useT()
  return (
    <AuthLayout
      title={t('auth.login.title')}
      subtitle={t('auth.login.subtitle')}
      footer={
        <>
          {t('auth.login.noAccount')}{' '}
          <Link to="/register" className="font-medium text-emerald-700 hover:underline" data-testid="to-register">
            {t('auth.login.toRegister')}
          </Link>
        </>
      }
    >
      <LoginForm />
    </AuthLayout>
  )
}
