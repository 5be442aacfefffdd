import { useEffect, useRef } from 'react'
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react'
import { AlertTriangle, GitBranch, Play, Zap } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { NODE_SPEC, outputsOf } from '../catalogue'
import { TARGET_HANDLE, type EditorNode } from '../graph'
import { useDecorations } from './decorations'
import { handleLabel } from './handle-label'

const KIND_STYLE = {
  trigger: { bar: 'bg-emerald-600', icon: Zap },
  action: { bar: 'bg-sky-600', icon: Play },
  condition: { bar: 'bg-amber-500', icon: GitBranch },
} as const

/** One node on the canvas: its kind, label, problems, and one labelled handle per output. */
export function FlowNodeView({ id, data, selected }: NodeProps<EditorNode>) {
  const t = useT()
  const { errors, visited } = useDecorations()
  const spec = NODE_SPEC[data.subtype]
  const outputs = outputsOf(data.subtype, data.config)
  const problems = errors.get(id)
  const wasVisited = visited.has(id)
  const updateNodeInternals = useUpdateNodeInternals()
  const handleKey = outputs.join(',')
  const measuredKey = useRef(handleKey)
  // SPLIT's handles change with its branches; React Flow has to measure them again. Not on mount:
  // React Flow measures new nodes itself, and an early call here made the first fitView see one node.
  useEffect(() => {
    if (measuredKey.current === handleKey) return
    measuredKey.current = handleKey
    updateNodeInternals(id)
  }, [id, handleKey, updateNodeInternals])
  const { bar, icon: Icon } = KIND_STYLE[spec.type]

  return (
    <div
      className={cn(
        'w-56 rounded-lg border bg-white text-left shadow-sm',
        selected ? 'border-emerald-600 ring-2 ring-emerald-600/30' : 'border-slate-300',
        wasVisited && 'border-violet-500 ring-2 ring-violet-400/60',
        problems && 'border-red-500 ring-2 ring-red-400/60',
      )}
      data-testid="flow-node"
      data-node-id={id}
      data-subtype={data.subtype}
      data-invalid={problems ? 'true' : undefined}
      data-visited={wasVisited ? 'true' : undefined}
    >
      {spec.type !== 'trigger' && <Handle type="target" position={Position.Top} id={TARGET_HANDLE} />}
      <div className={cn('flex items-center gap-1.5 rounded-t-lg px-2 py-1 text-xs font-medium text-white', bar)}>
        <Icon className="size-3.5" aria-hidden />
        <span className="truncate">{t(spec.labelKey)}</span>
        <span className="ml-auto font-mono opacity-70">{id}</span>
      </div>
      <div className="px-2 py-1.5 text-sm font-medium text-slate-900">{data.label || t(spec.labelKey)}</div>
      {problems && (
        <ul className="grid gap-0.5 px-2 pb-1.5 text-xs text-red-700" data-testid="flow-node-errors">
          {problems.map((message, index) => (
            <li key={index} className="flex gap-1">
              <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden />
              {message}
            </li>
          ))}
        </ul>
      )}
      <div className="flex justify-around border-t border-slate-100 px-1 pt-0.5 pb-2 text-[10px] text-slate-500">
        {outputs.map((handle) => (
          <span key={handle} data-testid="flow-node-handle">
            {handleLabel(handle, t, data.config)}
          </span>
        ))}
      </div>
      {outputs.map((handle, index) => (
        <Handle
          key={handle}
          type="source"
          position={Position.Bottom}
          id={handle}
          style={{ left: `${((index + 1) / (outputs.length + 1)) * 100}%` }}
          title={handleLabel(handle, t, data.config)}
        />
      ))}
    </div>
  )
}
