import { useState } from 'react'
import { Pencil, Plus, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { Switch } from '@/features/ai/components/switch'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeleteRule, useRules, useToggleRule } from '../api/followups'
import type { Rule } from '../api/types'
import { RuleWizard } from './rule-wizard'

/** The company's rules with their counts; managers switch, edit and delete them. */
export function RulesTab({ canManage }: { canManage: boolean }) {
  const t = useT()
  const format = useFormat()
  const rules = useRules()
  const toggle = useToggleRule()
  const remove = useDeleteRule()
  const [editing, setEditing] = useState<Rule | undefined>(undefined)
  const [wizardOpen, setWizardOpen] = useState(false)

  const openWizard = (rule?: Rule) => {
    setEditing(rule)
    setWizardOpen(true)
  }

  return (
    <div className="grid gap-4" data-testid="followup-rules">
      {canManage ? (
        <div className="flex justify-end">
          <Button onClick={() => openWizard()} data-testid="rule-create">
            <Plus aria-hidden />
            {t('followups.newRule')}
          </Button>
        </div>
      ) : (
        <Alert tone="info">{t('followups.readOnly')}</Alert>
      )}
      {rules.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : rules.isError ? (
        <Alert>{errorMessage(rules.error, t)}</Alert>
      ) : rules.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="followup-rules-empty">
          {t('followups.noRules')}
        </p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t('followups.col.rule')}</TableHead>
              <TableHead>{t('followups.col.trigger')}</TableHead>
              <TableHead className="text-right">{t('followups.status.SENT')}</TableHead>
              <TableHead className="text-right">{t('followups.status.PENDING')}</TableHead>
              <TableHead className="text-right">{t('followups.status.RESPONDED')}</TableHead>
              <TableHead className="text-right">{t('followups.status.CANCELLED')}</TableHead>
              <TableHead>{t('followups.col.active')}</TableHead>
              {canManage && <TableHead className="sr-only">{t('followups.col.actions')}</TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rules.data.map((rule) => (
              <TableRow key={rule.id} data-testid="rule-row" data-rule-name={rule.name} data-active={rule.isActive}>
                <TableCell>
                  <p className="font-medium text-slate-900">{rule.name}</p>
                  <p className="text-xs text-slate-500">
                    {t(`followups.action.${rule.actionType}`)}
                    {rule.instance?.instanceName ? ` · ${rule.instance.instanceName}` : ''}
                    {rule.priority ? ` · ${t('followups.priorityN', { priority: rule.priority })}` : ''}
                  </p>
                </TableCell>
                <TableCell>
                  <Badge tone="info">{t(`followups.trigger.${rule.triggerType}`)}</Badge>
                  {rule.triggerValue > 0 && (
                    <span className="ml-1.5 text-xs text-slate-500">
                      {rule.triggerValue} {t(`followups.unit.${rule.triggerUnit}`)}
                    </span>
                  )}
                </TableCell>
                <TableCell className="text-right tabular-nums" data-testid="rule-stat-sent">{format.number(rule.stats.sent)}</TableCell>
                <TableCell className="text-right tabular-nums" data-testid="rule-stat-pending">{format.number(rule.stats.pending)}</TableCell>
                <TableCell className="text-right tabular-nums" data-testid="rule-stat-responded">{format.number(rule.stats.responded)}</TableCell>
                <TableCell className="text-right tabular-nums" data-testid="rule-stat-cancelled">{format.number(rule.stats.cancelled)}</TableCell>
                <TableCell>
                  <Switch
                    checked={rule.isActive}
                    disabled={!canManage || (toggle.isPending && toggle.variables === rule.id)}
                    onCheckedChange={() =>
                      toggle.mutate(rule.id, {
                        onSuccess: (saved) => toast(t(saved.isActive ? 'followups.ruleOn' : 'followups.ruleOff')),
                        onError: (error) => toast(errorMessage(error, t), 'error'),
                      })
                    }
                    aria-label={t('followups.toggleRule', { name: rule.name })}
                    data-testid="rule-toggle"
                  />
                </TableCell>
                {canManage && (
                  <TableCell className="whitespace-nowrap text-right">
                    <Button variant="ghost" size="icon" onClick={() => openWizard(rule)} aria-label={t('followups.editRule', { name: rule.name })} data-testid="rule-edit">
                      <Pencil aria-hidden />
                    </Button>
                    <ConfirmDestructiveDialog
                      icon={<Trash2 aria-hidden />}
                      title={t('followups.deleteRule', { name: rule.name })}
                      description={t('followups.deleteRuleBody', { pending: rule.stats.pending })}
                      confirmLabel={t('common.remove')}
                      testId="rule-delete"
                      pending={remove.isPending}
                      error={remove.error}
                      onReset={() => remove.reset()}
                      onConfirm={(close) =>
                        remove.mutate(rule.id, {
                          onSuccess: ({ cancelledFollowups }) => {
                            toast(t('followups.ruleDeleted', { count: cancelledFollowups }))
                            close()
                          },
                        })
                      }
                    />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <RuleWizard rule={editing} open={wizardOpen} onOpenChange={setWizardOpen} />
    </div>
  )
}
