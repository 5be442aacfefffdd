import { Link } from 'react-router'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { RegisterForm } from '@/features/auth/components/register-form'
import { useT } from '@/lib/i18n'

export default function RegisterRoute() {
  const t = useT()
  return (
    <AuthLayout
      title={t('auth.register.title')}
      subtitle={t('auth.register.subtitle')}
      footer={
        <>
          {t('auth.register.hasAccount')}{' '}
          <Link to="/login" className="font-medium text-emerald-700 hover:underline" data-testid="to-login">
            {t('auth.register.toLogin')}
          </Link>
        </>
      }
    >
      <RegisterForm />
    </AuthLayout>
  )
}
