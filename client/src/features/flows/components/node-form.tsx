import { useId, useRef, useState } from 'react'
import { Plus, Trash2, X } from 'lucide-react'
import { VariableChips } from '@/components/variable-chips'
import { insertAtCaret } from '@/lib/insert-at-caret'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Textarea } from '@/components/ui/textarea'
import { useFunnelOptions } from '@/features/contacts/api/funnels'
import { useTags } from '@/features/contacts/api/tags'
import { useInstances } from '@/features/whatsapp/api/instances'
import { useT, type MessageKey } from '@/lib/i18n'
import type { NodeData } from '../api/types'
import {
  CONDITION_FIELDS,
  FLOW_VARIABLES,
  getPath,
  NODE_SPEC,
  setPath,
  SPLIT_MAX,
  SPLIT_MIN,
  UNARY_OPERATORS,
  type FieldSpec,
} from '../catalogue'
import type { EditorNode } from '../graph'

type Props = {
  node: EditorNode
  readOnly: boolean
  problems?: string[]
  onChange: (changes: { label?: string; config?: NodeData }) => void
  onDelete: () => void
}

/** The side form of the selected node: its label and the typed fields of its subtype. */
export function NodeForm({ node, readOnly, problems, onChange, onDelete }: Props) {
  const t = useT()
  const spec = NODE_SPEC[node.data.subtype]
  const config = node.data.config
  const set = (key: string, value: unknown) => onChange({ config: setPath(config, key, value) })

  return (
    <div className="grid gap-4" data-testid="flow-node-form">
      <div className="flex items-center justify-between gap-2">
        <div>
          <p className="text-xs text-slate-500">
            {t(`flows.kind.${spec.type}`)} · <span className="font-mono">{node.id}</span>
          </p>
          <h3 className="text-sm font-semibold text-slate-900">{t(spec.labelKey)}</h3>
        </div>
        {!readOnly && (
          <Button
            variant="ghost"
            size="icon"
            className="text-red-600 hover:bg-red-50 hover:text-red-700"
            aria-label={t('flows.editor.deleteNode')}
            onClick={onDelete}
            data-testid="flow-node-delete"
          >
            <Trash2 aria-hidden />
          </Button>
        )}
      </div>
      {problems && problems.length > 0 && (
        <ul className="grid gap-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800" role="alert">
          {problems.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
      <fieldset disabled={readOnly} className="grid gap-4">
        <FormField label={t('flows.field.label')}>
          <Input
            value={node.data.label}
            maxLength={100}
            placeholder={t(spec.labelKey)}
            onChange={(event) => onChange({ label: event.target.value })}
            data-testid="flow-node-label"
          />
        </FormField>
        {spec.fields.map((field) => (
          <Field key={field.key} field={field} config={config} set={set} replace={(next) => onChange({ config: next })} />
        ))}
        {spec.fields.length === 0 && <p className="text-xs text-slate-500">{t('flows.editor.noFields')}</p>}
      </fieldset>
    </div>
  )
}

type FieldProps = {
  field: FieldSpec
  config: NodeData
  set: (key: string, value: unknown) => void
  replace: (config: NodeData) => void
}

const str = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '')

function Field({ field, config, set, replace }: FieldProps) {
  const t = useT()
  const value = getPath(config, field.key)
  const label = t(field.labelKey) + (field.required ? ' *' : '')
  const hint = field.hintKey ? t(field.hintKey) : undefined
  const testId = `flow-field-${field.key}`
  /** Optional fields leave the data when emptied. */
  const setText = (text: string) => set(field.key, text === '' && !field.required ? undefined : text)

  switch (field.kind) {
    case 'text':
    case 'url':
    case 'cron':
      return (
        <FormField label={label} hint={hint}>
          <Input
            type={field.kind === 'url' ? 'url' : 'text'}
            value={str(value)}
            placeholder={field.kind === 'url' ? 'https://' : field.kind === 'cron' ? '0 9 * * 1-5' : undefined}
            className={field.kind === 'cron' ? 'font-mono' : undefined}
            onChange={(event) => setText(event.target.value)}
            data-testid={testId}
          />
        </FormField>
      )
    case 'timezone':
      return <TimezoneField label={label} hint={hint} value={str(value)} onChange={setText} testId={testId} />
    case 'textarea':
      return (
        <FormField label={label} hint={hint}>
          <Textarea rows={3} value={str(value)} onChange={(event) => setText(event.target.value)} data-testid={testId} />
        </FormField>
      )
    case 'message':
      return <MessageField label={label} hint={hint} value={str(value)} onChange={setText} testId={testId} />
    case 'number':
      return (
        <FormField label={label} hint={hint}>
          <Input
            type="number"
            min={field.min}
            max={field.max}
            value={typeof value === 'number' ? value : ''}
            onChange={(event) => set(field.key, event.target.value === '' ? undefined : Number(event.target.value))}
            data-testid={testId}
          />
        </FormField>
      )
    case 'select':
      return (
        <FormField label={label} hint={hint}>
          <Select value={str(value)} onChange={(event) => set(field.key, event.target.value)} data-testid={testId}>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {field.optionKeyPrefix ? t(`${field.optionKeyPrefix}${option}` as MessageKey) : option}
              </option>
            ))}
          </Select>
        </FormField>
      )
    case 'keywords':
      return <KeywordsField label={label} hint={hint} value={value} onChange={(list) => set(field.key, list)} testId={testId} />
    case 'json':
      return <JsonField label={label} hint={hint} value={value} onChange={(next) => set(field.key, next)} testId={testId} />
    case 'tag':
      return <TagPicker label={label} required={field.required} value={str(value)} onChange={setText} testId={testId} />
    case 'tags-multi':
      return <TagsMulti label={label} value={value} onChange={(list) => set(field.key, list.length ? list : undefined)} />
    case 'funnel':
      return (
        <FunnelPicker
          label={label}
          value={str(value)}
          onChange={(id) =>
            // A stage of another funnel would never match: it goes with the funnel.
            replace(setPath(setPath(config, field.key, id || undefined), 'stageId', undefined))
          }
          testId={testId}
        />
      )
    case 'stage':
      return (
        <StagePicker
          label={label}
          required={field.required}
          funnelId={field.funnelKey ? str(getPath(config, field.funnelKey)) : ''}
          value={str(value)}
          onChange={setText}
          testId={testId}
        />
      )
    case 'stages-multi':
      return <StagesMulti label={label} value={value} onChange={(list) => set(field.key, list.length ? list : undefined)} />
    case 'instance':
      return <InstancePicker label={label} value={str(value)} onChange={setText} testId={testId} />
    case 'percentages':
      return <PercentagesField label={label} value={value} onChange={(list) => set(field.key, list)} />
    case 'condition-field':
      return <ConditionFieldPicker label={label} value={str(value)} onChange={(next) => set(field.key, next)} />
    case 'condition-value':
      return <ConditionValue label={label} config={config} onChange={(next) => set(field.key, next)} testId={testId} />
  }
}

type TextProps = { label: string; hint?: string; value: string; onChange: (value: string) => void; testId: string }

function MessageField({ label, hint, value, onChange, testId }: TextProps) {
  const t = useT()
  const area = useRef<HTMLTextAreaElement>(null)
  // Inside "{{trigger.}}" the key is typed next.
  const insert = (token: string) => insertAtCaret(area.current, value, token, onChange, token.endsWith('.}}') ? 2 : 0)
  return (
    <div className="grid gap-1.5">
      <FormField label={label} hint={hint}>
        <Textarea ref={area} rows={5} value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId} />
      </FormField>
      <VariableChips variables={FLOW_VARIABLES} onInsert={insert} testId="flow-variable" label={t('flows.editor.variables')} />
    </div>
  )
}

function TimezoneField({ label, hint, value, onChange, testId }: TextProps) {
  const listId = useId()
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return (
    <div>
      <FormField label={label} hint={hint}>
        <Input list={listId} value={value} placeholder="America/Sao_Paulo" onChange={(event) => onChange(event.target.value)} data-testid={testId} />
      </FormField>
      {/* FormField clones its one child, so the suggestions live beside it. */}
      <datalist id={listId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </div>
  )
}

function KeywordsField({
  label,
  hint,
  value,
  onChange,
  testId,
}: Omit<TextProps, 'value' | 'onChange'> & { value: unknown; onChange: (list: string[]) => void }) {
  const list = Array.isArray(value) ? value.map(String) : []
  const [text, setText] = useState(list.join(', '))
  return (
    <FormField label={label} hint={hint}>
      <Input
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          onChange(
            event.target.value
              .split(',')
              .map((word) => word.trim())
              .filter(Boolean),
          )
        }}
        data-testid={testId}
      />
    </FormField>
  )
}

function JsonField({
  label,
  hint,
  value,
  onChange,
  testId,
}: Omit<TextProps, 'value' | 'onChange'> & { value: unknown; onChange: (next: unknown) => void }) {
  const t = useT()
  const [text, setText] = useState(() => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2)))
  const [invalid, setInvalid] = useState(false)
  return (
    <FormField label={label} hint={hint} error={invalid ? t('flows.editor.invalidJson') : undefined}>
      <Textarea
        rows={4}
        className="font-mono text-xs"
        value={text}
        onChange={(event) => {
          const next = event.target.value
          setText(next)
          if (next.trim() === '') {
            setInvalid(false)
            onChange(undefined)
            return
          }
          try {
            onChange(JSON.parse(next) as unknown)
            setInvalid(false)
          } catch {
            // Kept as typed, so nothing is lost; the server reports it if it is saved like this.
            setInvalid(true)
            onChange(next)
          }
        }}
        data-testid={testId}
      />
    </FormField>
  )
}

type PickerProps = { label: string; value: string; onChange: (value: string) => void; testId: string; required?: boolean }

function TagPicker({ label, value, onChange, testId, required }: PickerProps) {
  const t = useT()
  const tags = useTags()
  return (
    <FormField label={label}>
      <Select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{t(required ? 'flows.editor.choose' : 'flows.editor.anyTag')}</option>
        {tags.data?.map((tag) => (
          <option key={tag.id} value={tag.id}>
            {tag.name}
          </option>
        ))}
        {value && tags.data && !tags.data.some((tag) => tag.id === value) && <option value={value}>{value}</option>}
      </Select>
    </FormField>
  )
}

function FunnelPicker({ label, value, onChange, testId }: PickerProps) {
  const t = useT()
  const funnels = useFunnelOptions()
  return (
    <FormField label={label}>
      <Select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{t('flows.editor.anyFunnel')}</option>
        {funnels.data?.map((funnel) => (
          <option key={funnel.id} value={funnel.id}>
            {funnel.name}
          </option>
        ))}
      </Select>
    </FormField>
  )
}

function StagePicker({ label, value, onChange, testId, required, funnelId }: PickerProps & { funnelId: string }) {
  const t = useT()
  const funnels = useFunnelOptions()
  const shown = funnels.data?.filter((funnel) => !funnelId || funnel.id === funnelId) ?? []
  return (
    <FormField label={label}>
      <Select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{t(required ? 'flows.editor.choose' : 'flows.editor.anyStage')}</option>
        {shown.map((funnel) => (
          <optgroup key={funnel.id} label={funnel.name}>
            {funnel.stages.map((stage) => (
              <option key={stage.id} value={stage.id}>
                {stage.name}
              </option>
            ))}
          </optgroup>
        ))}
      </Select>
    </FormField>
  )
}

function InstancePicker({ label, value, onChange, testId }: PickerProps) {
  const t = useT()
  const instances = useInstances()
  return (
    <FormField label={label}>
      <Select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{t('flows.editor.anyInstance')}</option>
        {instances.data?.map((instance) => (
          <option key={instance.id} value={instance.id}>
            {instance.profileName ?? instance.instanceName}
            {instance.phoneNumber ? ` (${instance.phoneNumber})` : ''}
          </option>
        ))}
      </Select>
    </FormField>
  )
}

type MultiProps = { label: string; value: unknown; onChange: (list: string[]) => void }

function CheckboxList({ label, options, value, onChange }: MultiProps & { options: { id: string; name: string }[] }) {
  const t = useT()
  const chosen = new Set(Array.isArray(value) ? value.map(String) : [])
  const toggle = (id: string, on: boolean) => onChange(options.map((o) => o.id).filter((o) => (o === id ? on : chosen.has(o))))
  return (
    <div className="grid gap-1.5">
      <Label>{label}</Label>
      {options.length === 0 ? (
        <p className="text-xs text-slate-500">{t('flows.editor.noOptions')}</p>
      ) : (
        <div className="grid max-h-36 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2">
          {options.map((option) => (
            <label key={option.id} className="flex items-center gap-2 text-sm">
              <Checkbox checked={chosen.has(option.id)} onChange={(event) => toggle(option.id, event.target.checked)} />
              {option.name}
            </label>
          ))}
        </div>
      )}
    </div>
  )
}

function TagsMulti(props: MultiProps) {
  const tags = useTags()
  return <CheckboxList {...props} options={tags.data ?? []} />
}

function StagesMulti(props: MultiProps) {
  const funnels = useFunnelOptions()
  const options = (funnels.data ?? []).flatMap((funnel) =>
    funnel.stages.map((stage) => ({ id: stage.id, name: `${funnel.name} · ${stage.name}` })),
  )
  return <CheckboxList {...props} options={options} />
}

function PercentagesField({ label, value, onChange }: { label: string; value: unknown; onChange: (list: number[]) => void }) {
  const t = useT()
  const list = Array.isArray(value) ? value.map((item) => (typeof item === 'number' ? item : 0)) : []
  const total = list.reduce((sum, item) => sum + item, 0)
  return (
    <div className="grid gap-1.5" data-testid="flow-field-percentages">
      <Label>{label}</Label>
      {list.map((share, index) => (
        <div key={index} className="flex items-center gap-2">
          <span className="w-5 font-mono text-sm text-slate-600">{String.fromCharCode(65 + index)}</span>
          <Input
            type="number"
            min={0}
            max={100}
            value={share}
            aria-label={t('flows.editor.branchShare', { branch: String.fromCharCode(65 + index) })}
            onChange={(event) => onChange(list.map((item, i) => (i === index ? Number(event.target.value) : item)))}
            data-testid="flow-split-share"
          />
          <span className="text-sm text-slate-500">%</span>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            disabled={list.length <= SPLIT_MIN}
            aria-label={t('flows.editor.removeBranch')}
            onClick={() => onChange(list.filter((_, i) => i !== index))}
          >
            <X aria-hidden />
          </Button>
        </div>
      ))}
      <div className="flex items-center justify-between">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={list.length >= SPLIT_MAX}
          onClick={() => onChange([...list, 0])}
          data-testid="flow-split-add"
        >
          <Plus aria-hidden />
          {t('flows.editor.addBranch')}
        </Button>
        <span className={total === 100 ? 'text-xs text-slate-500' : 'text-xs font-medium text-red-600'}>
          {t('flows.editor.total', { total })}
        </span>
      </div>
    </div>
  )
}

function ConditionFieldPicker({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const t = useT()
  const isTrigger = value.startsWith('trigger.')
  return (
    <div className="grid gap-2">
      <FormField label={label}>
        <Select
          value={isTrigger ? 'trigger.' : value}
          onChange={(event) => onChange(event.target.value)}
          data-testid="flow-field-field"
        >
          {CONDITION_FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`flows.conditionField.${field}`)}
            </option>
          ))}
          <option value="trigger.">{t('flows.conditionField.trigger')}</option>
        </Select>
      </FormField>
      {isTrigger && (
        <FormField label={t('flows.field.triggerKey')}>
          <Input
            className="font-mono"
            value={value.slice('trigger.'.length)}
            onChange={(event) => onChange(`trigger.${event.target.value}`)}
            data-testid="flow-field-trigger-key"
          />
        </FormField>
      )}
    </div>
  )
}

function ConditionValue({ label, config, onChange, testId }: { label: string; config: NodeData; onChange: (v: unknown) => void; testId: string }) {
  const operator = str(config.operator)
  const field = str(config.field)
  const value = str(config.value)
  if (UNARY_OPERATORS.includes(operator)) return null
  if (field === 'contact.tags') return <TagPicker label={label} value={value} onChange={onChange} testId={testId} required />
  if (field === 'contact.stageId') return <StagePicker label={label} value={value} onChange={onChange} testId={testId} required funnelId="" />
  const numeric = operator === 'greater_than' || operator === 'less_than'
  return (
    <FormField label={label}>
      <Input
        value={value}
        inputMode={numeric ? 'decimal' : undefined}
        onChange={(event) => {
          const text = event.target.value
          onChange(numeric && text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text)
        }}
        data-testid={testId}
      />
    </FormField>
  )
}
