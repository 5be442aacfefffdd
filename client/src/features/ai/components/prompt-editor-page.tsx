import { useState } from 'react'
import { Link } from 'react-router'
import { ArrowLeft, History } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useAiInstance } from '../api/instances'
import { usePrompt, useRestorePrompt, useSavePrompt } from '../api/prompt'
import { useAiStatus } from '../api/status'
import type { PromptVersion, PromptView } from '../api/types'
import { useAiPermissions } from '../hooks'
import { AiDisabledNotice } from './ai-disabled-notice'
import { PreviewPanel } from './preview-panel'

const MAX_PROMPT = 20_000
const SOURCE_KEYS: Record<string, MessageKey> = {
  manual: 'ai.prompt.source.manual',
  generated: 'ai.prompt.source.generated',
  restored: 'ai.prompt.source.restored',
}

export function BackToAiSettings() {
  const t = useT()
  return (
    <Link to="/settings/ai" className="inline-flex items-center gap-1 text-sm text-emerald-700 hover:underline" data-testid="ai-back">
      <ArrowLeft className="size-4" aria-hidden />
      {t('ai.back')}
    </Link>
  )
}

function VersionRow({ version, current, canManage, instanceId }: { version: PromptVersion; current: boolean; canManage: boolean; instanceId: string }) {
  const t = useT()
  const format = useFormat()
  const restore = useRestorePrompt(instanceId)
  const [open, setOpen] = useState(false)
  return (
    <li className="grid gap-1.5 border-b border-slate-100 py-2 last:border-0" data-testid="ai-prompt-version" data-version={version.version}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium text-slate-900">{t('ai.prompt.versionN', { version: version.version })}</span>
        <Badge tone={version.source === 'generated' ? 'info' : 'neutral'}>
          {SOURCE_KEYS[version.source] ? t(SOURCE_KEYS[version.source]) : version.source}
          {version.restoredFrom ? ` (v${version.restoredFrom})` : ''}
        </Badge>
        {current && <Badge tone="success">{t('ai.prompt.inUse')}</Badge>}
        <span className="text-xs text-slate-500">
          {format.dateTime(version.createdAt)}
          {version.createdBy ? ` · ${version.createdBy}` : ''}
        </span>
        <span className="ml-auto flex gap-1">
          <Button variant="ghost" size="sm" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? t('ai.prompt.hide') : t('ai.prompt.show')}
          </Button>
          {!current && canManage && (
            <Button
              variant="outline"
              size="sm"
              loading={restore.isPending}
              onClick={() =>
                restore.mutate(version.version, {
                  onSuccess: () => toast(t('ai.prompt.restored', { version: version.version })),
                  onError: (error) => toast(errorMessage(error, t), 'error'),
                })
              }
              data-testid="ai-prompt-restore"
            >
              {t('ai.prompt.restore')}
            </Button>
          )}
        </span>
      </div>
      {open && <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 p-2 text-xs whitespace-pre-wrap text-slate-700">{version.content}</pre>}
    </li>
  )
}

/** The editor and the test panel share the draft; keyed by the current version, so it resets on a new one. */
function PromptWorkspace({ view, canManage }: { view: PromptView; canManage: boolean }) {
  const t = useT()
  const saved = view.current?.content ?? view.effective
  const [draft, setDraft] = useState(saved)
  const save = useSavePrompt(view.instanceId)
  const changed = draft.trim() !== saved.trim()
  const blank = !draft.trim()

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="grid content-start gap-6">
        <Card data-testid="ai-prompt-editor">
          <CardHeader>
            <CardTitle>{t('ai.prompt.title')}</CardTitle>
            <CardDescription>
              {view.current ? t('ai.prompt.currentVersion', { version: view.current.version }) : t('ai.prompt.noVersion')}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            {!view.current && (
              <Alert tone="info" data-testid="ai-prompt-effective">
                {t('ai.prompt.effectiveNotice')}
              </Alert>
            )}
            <Textarea
              rows={16}
              maxLength={MAX_PROMPT}
              value={draft}
              readOnly={!canManage}
              onChange={(event) => setDraft(event.target.value)}
              aria-label={t('ai.prompt.title')}
              className="font-mono text-xs"
              data-testid="ai-prompt-textarea"
            />
            <div className="flex flex-wrap items-center gap-3">
              {canManage && (
                <Button
                  loading={save.isPending}
                  disabled={blank || (!changed && view.current !== null)}
                  onClick={() =>
                    save.mutate(
                      { content: draft },
                      { onSuccess: (next) => toast(t('ai.prompt.saved', { version: next.current?.version ?? '' })) },
                    )
                  }
                  data-testid="ai-prompt-save"
                >
                  {t('ai.prompt.save')}
                </Button>
              )}
              {changed && canManage && (
                <Button variant="ghost" onClick={() => setDraft(saved)} data-testid="ai-prompt-discard">
                  {t('ai.prompt.discard')}
                </Button>
              )}
              <span className="text-xs text-slate-500">{t('ai.prompt.length', { count: draft.length, max: MAX_PROMPT })}</span>
            </div>
            {save.isError && <Alert>{errorMessage(save.error, t)}</Alert>}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <History className="size-4" aria-hidden />
              {t('ai.prompt.history')}
            </CardTitle>
          </CardHeader>
          <CardContent>
            {view.versions.length === 0 ? (
              <p className="text-sm text-slate-500" data-testid="ai-prompt-versions-empty">
                {t('ai.prompt.historyEmpty')}
              </p>
            ) : (
              <ul data-testid="ai-prompt-versions">
                {view.versions.map((version) => (
                  <VersionRow
                    key={version.version}
                    version={version}
                    current={version.version === view.current?.version}
                    canManage={canManage}
                    instanceId={view.instanceId}
                  />
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
      <div className="grid content-start">
        <PreviewPanel instanceId={view.instanceId} draft={draft} draftChanged={changed} />
      </div>
    </div>
  )
}

export function PromptEditorPage({ instanceId }: { instanceId: string }) {
  const t = useT()
  const { canManage } = useAiPermissions()
  const status = useAiStatus()
  const instance = useAiInstance(instanceId)
  const prompt = usePrompt(instanceId)
  return (
    <div className="grid gap-4" data-testid="ai-prompt-page">
      <div className="grid gap-1">
        <BackToAiSettings />
        <h2 className="text-lg font-semibold text-slate-900">
          {t('ai.prompt.pageTitle', { name: instance.data?.name ?? '…' })}
        </h2>
      </div>
      {status.data && <AiDisabledNotice status={status.data} />}
      {!canManage && <Alert tone="info">{t('ai.instances.readOnly')}</Alert>}
      {prompt.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : prompt.isError ? (
        <Alert>{errorMessage(prompt.error, t)}</Alert>
      ) : (
        <PromptWorkspace key={prompt.data.current?.version ?? 'effective'} view={prompt.data} canManage={canManage} />
      )}
    </div>
  )
}
