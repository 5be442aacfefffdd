import { useMemo, type DragEvent } from 'react'
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useT } from '@/lib/i18n'
import type { EditorEdge, EditorNode } from '../graph'
import { DecorationsContext } from './decorations'
import { FlowNodeView } from './flow-node-view'
import { handleLabel } from './handle-label'

const NODE_TYPES: NodeTypes = { flowNode: FlowNodeView }

type Props = {
  nodes: EditorNode[]
  edges: EditorEdge[]
  readOnly?: boolean
  /** Problems per node id (422 details or the pre-check). */
  errors?: ReadonlyMap<string, string[]>
  errorEdges?: ReadonlySet<string>
  /** A run's path: nodes and edges to highlight. */
  visited?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> }
  onNodesChange?: (changes: NodeChange<EditorNode>[]) => void
  onEdgesChange?: (changes: EdgeChange[]) => void
  onConnect?: (connection: Connection) => void
  isValidConnection?: IsValidConnection
  onSelectionChange?: (nodeId: string | null) => void
  onDrop?: (event: DragEvent<HTMLDivElement>) => void
}

const NO_ERRORS: ReadonlyMap<string, string[]> = new Map()
const NONE: ReadonlySet<string> = new Set()

/** The diagram, shared by the editor and the read-only execution viewer. */
export function FlowCanvas({
  nodes,
  edges,
  readOnly = false,
  errors = NO_ERRORS,
  errorEdges = NONE,
  visited,
  onNodesChange,
  onEdgesChange,
  onConnect,
  isValidConnection,
  onSelectionChange,
  onDrop,
}: Props) {
  const t = useT()
  const visitedNodes = visited?.nodes ?? NONE
  const visitedEdges = visited?.edges ?? NONE
  const decorations = useMemo(() => ({ errors, visited: visitedNodes }), [errors, visitedNodes])
  const configs = useMemo(() => new Map(nodes.map((node) => [node.id, node.data.config])), [nodes])

  // Handle names on the edges ("sim", "não", "B · 30%") and the highlights; the state keeps plain edges.
  const shownEdges = useMemo(
    () =>
      edges.map((edge) => {
        const handle = edge.sourceHandle ?? 'output'
        const color = errorEdges.has(edge.id) ? '#dc2626' : visitedEdges.has(edge.id) ? '#7c3aed' : '#64748b'
        return {
          ...edge,
          label: handle === 'output' ? undefined : handleLabel(handle, t, configs.get(edge.source)),
          animated: visitedEdges.has(edge.id),
          style: { stroke: color, strokeWidth: visitedEdges.has(edge.id) || errorEdges.has(edge.id) ? 2.5 : 1.5 },
          markerEnd: { type: MarkerType.ArrowClosed, color },
          className: errorEdges.has(edge.id) ? 'flow-edge-invalid' : visitedEdges.has(edge.id) ? 'flow-edge-visited' : undefined,
        }
      }),
    [edges, errorEdges, visitedEdges, configs, t],
  )

  return (
    <DecorationsContext.Provider value={decorations}>
      <div
        className="h-full min-h-[420px] w-full rounded-lg border border-slate-200 bg-slate-50"
        data-testid="flow-canvas"
        onDragOver={(event) => {
          if (readOnly) return
          event.preventDefault()
          event.dataTransfer.dropEffect = 'move'
        }}
        onDrop={readOnly ? undefined : onDrop}
      >
        <ReactFlow<EditorNode, EditorEdge>
          nodes={nodes}
          edges={shownEdges}
          nodeTypes={NODE_TYPES}
          onNodesChange={readOnly ? undefined : onNodesChange}
          onEdgesChange={readOnly ? undefined : onEdgesChange}
          onConnect={readOnly ? undefined : onConnect}
          isValidConnection={isValidConnection}
          onSelectionChange={({ nodes: selected }) => onSelectionChange?.(selected.length === 1 ? selected[0].id : null)}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          elementsSelectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
          fitView
          fitViewOptions={{ maxZoom: 1 }}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </DecorationsContext.Provider>
  )
}
