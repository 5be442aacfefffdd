import type { ReactNode } from 'react'
import { Bot } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import type { ContactAiProfile } from '@/features/contacts/api/types'
import { useFormat, useT } from '@/lib/i18n'
import { isAlarmingSentiment, isAlarmingUrgency, sentimentLabel, urgencyLabel } from '../labels'

function Section({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1" data-testid={testId}>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  )
}

function List({ items }: { items: string[] }) {
  return (
    <ul className="list-disc space-y-0.5 pl-4">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  )
}

/** "Perfil pela IA": what the conversation analyses learnt about the person. Nothing before the first. */
export function ContactAiProfileCard({ profile }: { profile: ContactAiProfile | null }) {
  const t = useT()
  const format = useFormat()
  if (!profile) return null
  const interests = profile.interests ?? []
  const preferences = profile.preferences ?? []
  const keyFacts = profile.keyFacts ?? []
  const hasAnything =
    profile.sentiment || profile.urgency || profile.summary || profile.communicationStyle || interests.length + preferences.length + keyFacts.length > 0
  if (!hasAnything) return null
  return (
    <Card data-testid="contact-ai-profile">
      <CardHeader>
        <CardTitle className="flex items-center gap-1.5">
          <Bot className="size-4 text-violet-700" aria-hidden />
          {t('ai.profile.title')}
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-3">
          {(profile.sentiment || profile.urgency) && (
            <div className="flex flex-wrap gap-1">
              {profile.sentiment && (
                <Badge tone={isAlarmingSentiment(profile.sentiment) ? 'danger' : 'neutral'} data-testid="contact-ai-sentiment">
                  {t('ai.analysis.sentimentBadge', { value: sentimentLabel(profile.sentiment, t) })}
                </Badge>
              )}
              {profile.urgency && (
                <Badge tone={isAlarmingUrgency(profile.urgency) ? 'warning' : 'neutral'} data-testid="contact-ai-urgency">
                  {t('ai.analysis.urgencyBadge', { value: urgencyLabel(profile.urgency, t) })}
                </Badge>
              )}
            </div>
          )}
          {profile.summary && (
            <Section label={t('ai.profile.summary')} testId="contact-ai-summary">
              {profile.summary}
            </Section>
          )}
          {interests.length > 0 && (
            <Section label={t('ai.profile.interests')} testId="contact-ai-interests">
              <List items={interests} />
            </Section>
          )}
          {preferences.length > 0 && (
            <Section label={t('ai.profile.preferences')}>
              <List items={preferences} />
            </Section>
          )}
          {keyFacts.length > 0 && (
            <Section label={t('ai.profile.keyFacts')}>
              <List items={keyFacts} />
            </Section>
          )}
          {profile.communicationStyle && <Section label={t('ai.profile.style')}>{profile.communicationStyle}</Section>}
          {profile.updatedAt && (
            <p className="text-[0.7rem] text-slate-400">{t('ai.profile.updatedAt', { when: format.dateTime(profile.updatedAt) })}</p>
          )}
        </dl>
      </CardContent>
    </Card>
  )
}
