import type { Edge, Node } from '@xyflow/react'
import type { FlowBody, FlowConnection, FlowNode, InvalidFlowDetail, NodeData, NodeSubtype } from './api/types'
import { isKnownSubtype, NODE_SPEC, outputsOf } from './catalogue'

// The editor's state (React Flow nodes and edges) and the contract's body, both ways.

export type EditorNodeData = { subtype: NodeSubtype; label: string; config: NodeData }
export type EditorNode = Node<EditorNodeData, 'flowNode'>
export type EditorEdge = Edge

export const NODE_TYPE = 'flowNode'
export const TARGET_HANDLE = 'input'
/** The palette's drag-and-drop payload type (the subtype travels as its data). */
export const DRAG_TYPE = 'application/x-evoai-flow-node'

export function toEditorNodes(nodes: FlowNode[]): EditorNode[] {
  return nodes
    .filter((node) => isKnownSubtype(node.subtype))
    .map((node) => ({
      id: node.id,
      type: NODE_TYPE,
      position: { x: node.position?.x ?? 0, y: node.position?.y ?? 0 },
      data: { subtype: node.subtype, label: node.label ?? '', config: node.data ?? {} },
    }))
}

export function toEditorEdges(connections: FlowConnection[]): EditorEdge[] {
  return connections.map((connection) => ({
    id: connection.id,
    source: connection.sourceId,
    target: connection.targetId,
    sourceHandle: connection.sourceHandle || 'output',
    targetHandle: TARGET_HANDLE,
  }))
}

/** The body of POST/PUT /api/flows for the editor's state. */
export function toFlowBody(name: string, description: string, nodes: EditorNode[], edges: EditorEdge[]): FlowBody {
  return {
    name: name.trim(),
    description: description.trim(),
    nodes: nodes.map((node) => ({
      id: node.id,
      type: NODE_SPEC[node.data.subtype].type,
      subtype: node.data.subtype,
      label: node.data.label,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      data: node.data.config,
    })),
    connections: edges.map((edge) => ({
      id: edge.id,
      sourceId: edge.source,
      targetId: edge.target,
      sourceHandle: edge.sourceHandle ?? 'output',
      targetHandle: TARGET_HANDLE,
    })),
  }
}

/** The first free id of the form `${prefix}${n}` (node ids are 1–64 of [A-Za-z0-9_-]). */
export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  let n = 1
  while (used.has(`${prefix}${n}`)) n++
  return `${prefix}${n}`
}

export function newNode(subtype: NodeSubtype, label: string, position: { x: number; y: number }, taken: Iterable<string>): EditorNode {
  return {
    id: nextId('n', taken),
    type: NODE_TYPE,
    position,
    data: { subtype, label, config: NODE_SPEC[subtype].defaults() },
  }
}

/** Edges whose source handle no longer exists (a SPLIT branch removed). */
export function withoutStaleEdges(nodes: EditorNode[], edges: EditorEdge[]): EditorEdge[] {
  const outputs = new Map(nodes.map((node) => [node.id, outputsOf(node.data.subtype, node.data.config)]))
  return edges.filter((edge) => outputs.get(edge.source)?.includes(edge.sourceHandle ?? 'output') ?? false)
}

/** Whether a new connection may be drawn: no self-loop, into no trigger, one per (source, handle). */
export function canConnect(
  connection: { source: string | null; target: string | null; sourceHandle?: string | null },
  nodes: EditorNode[],
  edges: EditorEdge[],
): boolean {
  const { source, target } = connection
  if (!source || !target || source === target) return false
  const targetNode = nodes.find((node) => node.id === target)
  if (!targetNode || NODE_SPEC[targetNode.data.subtype].type === 'trigger') return false
  const handle = connection.sourceHandle ?? 'output'
  return !edges.some((edge) => edge.source === source && (edge.sourceHandle ?? 'output') === handle)
}

/** The obvious problems the client can see before saving; the server still checks everything. */
export function precheck(nodes: EditorNode[], messages: { noTrigger: string; manyTriggers: string }): InvalidFlowDetail[] {
  const triggers = nodes.filter((node) => NODE_SPEC[node.data.subtype].type === 'trigger')
  if (triggers.length === 0) return [{ message: messages.noTrigger }]
  if (triggers.length > 1) return triggers.slice(1).map((node) => ({ nodeId: node.id, message: messages.manyTriggers }))
  return []
}

/** Nodes and edges a path went through (an edge counts when its ends are consecutive steps). */
export function visitedOf(
  path: { nodeId: string; handle?: string | null }[],
  edges: EditorEdge[],
): { nodes: Set<string>; edges: Set<string> } {
  const nodeIds = new Set(path.map((step) => step.nodeId))
  const edgeIds = new Set<string>()
  for (let index = 0; index + 1 < path.length; index++) {
    const from = path[index]
    const to = path[index + 1]
    const edge = edges.find(
      (candidate) =>
        candidate.source === from.nodeId &&
        candidate.target === to.nodeId &&
        (!from.handle || (candidate.sourceHandle ?? 'output') === from.handle),
    )
    if (edge) edgeIds.add(edge.id)
  }
  return { nodes: nodeIds, edges: edgeIds }
}
