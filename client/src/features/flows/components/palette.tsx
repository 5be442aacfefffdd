import type { DragEvent } from 'react'
import { Plus } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { NODE_KINDS, type NodeSubtype } from '../api/types'
import type { NodeSpec } from '../catalogue'
import { DRAG_TYPE } from '../graph'



type Props = { specs: NodeSpec[]; onAdd: (subtype: NodeSubtype) => void }

/** Node types by kind: drag one onto the canvas, or click it to add it below the others. */
export function Palette({ specs, onAdd }: Props) {
  const t = useT()
  const onDragStart = (event: DragEvent<HTMLButtonElement>, subtype: NodeSubtype) => {
    event.dataTransfer.setData(DRAG_TYPE, subtype)
    event.dataTransfer.effectAllowed = 'move'
  }
  return (
    <nav className="grid content-start gap-4 overflow-y-auto rounded-lg border border-slate-200 bg-white p-2" aria-label={t('flows.editor.palette')} data-testid="flow-palette">
      {NODE_KINDS.map((kind) => (
        <div key={kind} className="grid gap-1">
          <p className="px-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t(`flows.kinds.${kind}`)}</p>
          {specs
            .filter((spec) => spec.type === kind)
            .map((spec) => (
              <button
                key={spec.subtype}
                type="button"
                draggable
                onDragStart={(event) => onDragStart(event, spec.subtype)}
                onClick={() => onAdd(spec.subtype)}
                title={t('flows.editor.paletteHint')}
                className="flex cursor-grab items-center gap-1.5 rounded-md border border-slate-200 px-2 py-1.5 text-left text-xs text-slate-800 hover:border-emerald-600 hover:bg-emerald-50 active:cursor-grabbing"
                data-testid={`flow-palette-${spec.subtype}`}
              >
                <Plus className="size-3 shrink-0 text-slate-400" aria-hidden />
                {t(spec.labelKey)}
              </button>
            ))}
        </div>
      ))}
    </nav>
  )
}
