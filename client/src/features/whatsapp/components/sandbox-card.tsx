import { ExternalLink, FlaskConical } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateCredential, useSandbox } from '../api/credentials'

/** Only when the development sandbox gateway runs (GET /sandbox answers 200). */
export function SandboxCard({ hasEvolution }: { hasEvolution: boolean }) {
  const t = useT()
  const sandbox = useSandbox()
  const create = useCreateCredential()
  if (!sandbox.data) return null
  const { url, apiKey, phoneUrl } = sandbox.data
  return (
    <Card className="border-emerald-200 bg-emerald-50/50" data-testid="sandbox-card">
      <CardHeader className="flex-row items-start gap-3">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-emerald-100 text-emerald-700">
          <FlaskConical className="size-5" aria-hidden />
        </span>
        <div className="grid gap-1">
          <CardTitle>{t('whatsapp.sandboxTitle')}</CardTitle>
          <CardDescription>{t('whatsapp.sandboxBody')}</CardDescription>
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {create.error && <Alert>{errorMessage(create.error, t)}</Alert>}
        {hasEvolution && <Alert tone="info">{t('whatsapp.sandboxHasEvolution')}</Alert>}
        <div className="flex flex-wrap gap-2">
          <Button
            disabled={hasEvolution || create.isPending}
            loading={create.isPending}
            onClick={() =>
              create.mutate(
                { provider: 'EVOLUTION', apiUrl: url, apiKey },
                { onSuccess: () => toast(t('whatsapp.credentialCreated')) },
              )
            }
            data-testid="sandbox-use-button"
          >
            {t('whatsapp.sandboxUse')}
          </Button>
          <a
            href={phoneUrl}
            target="_blank"
            rel="noopener noreferrer"
            className={buttonVariants({ variant: 'outline' })}
            data-testid="sandbox-phone-link"
          >
            <ExternalLink aria-hidden />
            {t('whatsapp.sandboxPhone')}
          </a>
        </div>
      </CardContent>
    </Card>
  )
}
