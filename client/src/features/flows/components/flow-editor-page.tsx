import { useCallback, useMemo, useState, type DragEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import {
  addEdge,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react'
import { ArrowLeft, Copy, FlaskConical, History, Save } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { useMe } from '@/features/auth/api/me'
import { apiUrl } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { invalidFlowDetails, useFlow, useNodeTypes, useSaveFlow } from '../api/flows'
import type { Flow, InvalidFlowDetail, NodeData, NodeSubtype, Step } from '../api/types'
import { isKnownSubtype, NODE_SPEC, NODE_SPECS, outputsOf } from '../catalogue'
import {
  canConnect,
  DRAG_TYPE,
  newNode,
  nextId,
  precheck,
  toEditorEdges,
  toEditorNodes,
  toFlowBody,
  TARGET_HANDLE,
  visitedOf,
  withoutStaleEdges,
  type EditorEdge,
  type EditorNode,
} from '../graph'
import { executionsPath, FLOWS_PATH, flowPath } from '../paths'
import { canManageFlows } from '../permissions'
import { FlowCanvas } from './flow-canvas'
import { NodeForm } from './node-form'
import { Palette } from './palette'
import { TestRunPanel } from './test-run-panel'

/** /automation/flows/new and /automation/flows/:id: loads the flow, then the editor. */
export function FlowEditorPage({ flowId }: { flowId?: string }) {
  const t = useT()
  const flow = useFlow(flowId)
  if (flowId && flow.isPending) return <Spinner label={t('common.loading')} />
  if (flowId && flow.isError) return <Alert>{errorMessage(flow.error, t)}</Alert>
  return (
    <ReactFlowProvider>
      <FlowEditor key={flowId ?? 'new'} flow={flowId ? flow.data : undefined} />
    </ReactFlowProvider>
  )
}

function FlowEditor({ flow }: { flow?: Flow }) {
  const t = useT()
  const navigate = useNavigate()
  const me = useMe()
  // Until /me answers the editor stays editable; the server refuses a save without the permission (403).
  const readOnly = me.data !== undefined && !canManageFlows(me.data)
  const { screenToFlowPosition, deleteElements, fitView } = useReactFlow<EditorNode, EditorEdge>()
  const [name, setName] = useState(flow?.name ?? '')
  const [nameError, setNameError] = useState(false)
  const [description, setDescription] = useState(flow?.description ?? '')
  const [initialNodes] = useState(() => toEditorNodes(flow?.nodes ?? []))
  const [initialEdges] = useState(() => toEditorEdges(flow?.connections ?? []))
  const [nodes, setNodes, applyNodeChanges] = useNodesState<EditorNode>(initialNodes)
  const [edges, setEdges, applyEdgeChanges] = useEdgesState<EditorEdge>(initialEdges)
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [panel, setPanel] = useState<'node' | 'test'>('node')
  const [problems, setProblems] = useState<InvalidFlowDetail[]>([])
  const [path, setPath] = useState<Step[] | null>(null)
  const [dirty, setDirty] = useState(false)
  const save = useSaveFlow()
  const nodeTypes = useNodeTypes()

  // The server's list narrows the palette when it answers; the forms come from the client's table.
  const specs = useMemo(() => {
    const offered = new Set((nodeTypes.data ?? []).map((item) => item.subtype))
    const shown = NODE_SPECS.filter((spec) => offered.has(spec.subtype))
    return shown.length > 0 ? shown : NODE_SPECS
  }, [nodeTypes.data])

  const nodeErrors = useMemo(() => {
    const map = new Map<string, string[]>()
    for (const problem of problems) {
      if (problem.nodeId) map.set(problem.nodeId, [...(map.get(problem.nodeId) ?? []), problem.message])
    }
    return map
  }, [problems])
  const edgeErrors = useMemo(
    () => new Set(problems.flatMap((problem) => (problem.connectionId ? [problem.connectionId] : []))),
    [problems],
  )
  const visited = useMemo(() => (path ? visitedOf(path, edges) : undefined), [path, edges])

  const onNodesChange = useCallback(
    (changes: NodeChange<EditorNode>[]) => {
      applyNodeChanges(changes)
      if (changes.some((change) => change.type !== 'select' && change.type !== 'dimensions')) setDirty(true)
    },
    [applyNodeChanges],
  )
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      applyEdgeChanges(changes)
      if (changes.some((change) => change.type !== 'select')) setDirty(true)
    },
    [applyEdgeChanges],
  )
  const isValidConnection: IsValidConnection = useCallback(
    (connection) => canConnect(connection, nodes, edges),
    [nodes, edges],
  )
  const onConnect = useCallback(
    (connection: Connection) => {
      setEdges((current) =>
        canConnect(connection, nodes, current)
          ? addEdge(
              {
                ...connection,
                id: nextId('c', current.map((edge) => edge.id)),
                sourceHandle: connection.sourceHandle ?? 'output',
                targetHandle: TARGET_HANDLE,
              },
              current,
            )
          : current,
      )
      setDirty(true)
    },
    [nodes, setEdges],
  )

  function select(nodeId: string | null) {
    setNodes((current) => current.map((node) => ({ ...node, selected: node.id === nodeId })))
    setSelectedId(nodeId)
    if (nodeId) setPanel('node')
  }

  function addNode(subtype: NodeSubtype, position?: { x: number; y: number }) {
    const below = nodes.length ? Math.max(...nodes.map((node) => node.position.y)) + 140 : 40
    const left = nodes.length ? Math.min(...nodes.map((node) => node.position.x)) : 40
    const node = newNode(subtype, t(NODE_SPEC[subtype].labelKey), position ?? { x: left, y: below }, nodes.map((n) => n.id))
    setNodes((current) => [...current.map((item) => ({ ...item, selected: false })), { ...node, selected: true }])
    setSelectedId(node.id)
    setPanel('node')
    setDirty(true)
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault()
    const subtype = event.dataTransfer.getData(DRAG_TYPE)
    if (!isKnownSubtype(subtype)) return
    addNode(subtype, screenToFlowPosition({ x: event.clientX, y: event.clientY }))
  }

  function changeNode(nodeId: string, changes: { label?: string; config?: NodeData }) {
    const next = nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, ...changes } } : node))
    setNodes(next)
    // A SPLIT branch removed takes its connection with it.
    if (changes.config) setEdges((current) => withoutStaleEdges(next, current))
    setDirty(true)
  }

  function pick(nodeId: string) {
    select(nodeId)
    void fitView({ nodes: [{ id: nodeId }], maxZoom: 1, duration: 200 })
  }

  function submit() {
    if (!name.trim()) {
      setNameError(true)
      return
    }
    setNameError(false)
    const local = precheck(nodes, { noTrigger: t('flows.check.noTrigger'), manyTriggers: t('flows.check.manyTriggers') })
    setProblems(local)
    if (local.length > 0) return
    save.mutate(
      { id: flow?.id, body: toFlowBody(name, description, nodes, edges) },
      {
        onSuccess: (saved) => {
          setDirty(false)
          toast(t('flows.editor.saved'))
          if (!flow) void navigate(flowPath(saved.id), { replace: true })
        },
        onError: (error) => {
          const details = invalidFlowDetails(error)
          if (details) setProblems(details.length ? details : [{ message: errorMessage(error, t) }])
          else toast(errorMessage(error, t), 'error')
        },
      },
    )
  }

  const selected = nodes.find((node) => node.id === selectedId)
  const splitBranches = [
    ...new Set(nodes.flatMap((node) => (node.data.subtype === 'SPLIT' ? outputsOf('SPLIT', node.data.config) : []))),
  ].sort()
  const hasWebhookTrigger = nodes.some((node) => node.data.subtype === 'WEBHOOK')
  const savedFlow = save.data ?? flow
  const labelOf = (nodeId: string) => {
    const node = nodes.find((item) => item.id === nodeId)
    return node ? node.data.label || t(NODE_SPEC[node.data.subtype].labelKey) : nodeId
  }

  return (
    <div className="grid gap-4" data-testid="flow-editor">
      <div className="flex flex-wrap items-start gap-3">
        <Link to={FLOWS_PATH} className={buttonVariants({ variant: 'ghost', size: 'icon' })} aria-label={t('flows.editor.back')}>
          <ArrowLeft aria-hidden />
        </Link>
        <div className="grid min-w-64 flex-1 gap-2">
          <Input
            value={name}
            maxLength={120}
            placeholder={t('flows.editor.namePlaceholder')}
            aria-label={t('flows.editor.name')}
            aria-invalid={nameError || undefined}
            readOnly={readOnly}
            onChange={(event) => {
              setName(event.target.value)
              setDirty(true)
            }}
            className="text-base font-semibold"
            data-testid="flow-name"
          />
          {nameError && (
            <p className="text-xs font-medium text-red-600" role="alert">
              {t('flows.editor.nameRequired')}
            </p>
          )}
          <Input
            value={description}
            maxLength={500}
            placeholder={t('flows.editor.descriptionPlaceholder')}
            aria-label={t('flows.editor.description')}
            readOnly={readOnly}
            onChange={(event) => {
              setDescription(event.target.value)
              setDirty(true)
            }}
            data-testid="flow-description"
          />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {savedFlow && (
            <Badge tone={savedFlow.isActive ? 'success' : 'neutral'}>{t(savedFlow.isActive ? 'flows.active' : 'flows.inactive')}</Badge>
          )}
          {dirty && <Badge tone="warning">{t('flows.editor.unsaved')}</Badge>}
          {flow && (
            <>
              <Button variant={panel === 'test' ? 'default' : 'outline'} onClick={() => setPanel(panel === 'test' ? 'node' : 'test')} data-testid="flow-test-toggle">
                <FlaskConical aria-hidden />
                {t('flows.test.open')}
              </Button>
              <Link to={executionsPath(flow.id)} className={buttonVariants({ variant: 'outline' })} data-testid="flow-executions-link">
                <History aria-hidden />
                {t('flows.executions.title')}
              </Link>
            </>
          )}
          {!readOnly && (
            <Button onClick={submit} loading={save.isPending} data-testid="flow-save">
              <Save aria-hidden />
              {t('common.save')}
            </Button>
          )}
        </div>
      </div>

      {readOnly && <Alert tone="info">{t('flows.readOnly')}</Alert>}

      {problems.length > 0 && (
        <Alert data-testid="flow-problems">
          <p className="font-medium">{t('flows.editor.problems', { count: problems.length })}</p>
          <ul className="mt-1 grid gap-0.5">
            {problems.map((problem, index) => (
              <li key={index} data-testid="flow-problem">
                {problem.nodeId ? (
                  <button type="button" className="font-medium underline underline-offset-2" onClick={() => pick(problem.nodeId ?? '')}>
                    {labelOf(problem.nodeId)}
                  </button>
                ) : problem.connectionId ? (
                  <span className="font-medium">{t('flows.editor.connection', { id: problem.connectionId })}</span>
                ) : null}
                {problem.nodeId || problem.connectionId ? ': ' : ''}
                {problem.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      {hasWebhookTrigger && <WebhookUrl url={savedFlow?.webhookUrl ?? null} saved={Boolean(savedFlow)} />}

      <div className="grid gap-3 lg:h-[70vh] lg:min-h-[520px] lg:grid-cols-[11rem_minmax(0,1fr)_20rem]">
        {readOnly ? <div className="hidden lg:block" /> : <Palette specs={specs} onAdd={(subtype) => addNode(subtype)} />}
        <div className="h-[60vh] lg:h-auto">
          <FlowCanvas
            nodes={nodes}
            edges={edges}
            readOnly={readOnly}
            errors={nodeErrors}
            errorEdges={edgeErrors}
            visited={visited}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onSelectionChange={setSelectedId}
            onDrop={onDrop}
          />
        </div>
        <aside className="overflow-y-auto rounded-lg border border-slate-200 bg-white p-3" data-testid="flow-side-panel">
          {panel === 'test' && flow ? (
            <TestRunPanel flowId={flow.id} dirty={dirty} onPath={setPath} onPick={pick} splitBranches={splitBranches} />
          ) : selected ? (
            <NodeForm
              key={selected.id}
              node={selected}
              readOnly={readOnly}
              problems={nodeErrors.get(selected.id)}
              onChange={(changes) => changeNode(selected.id, changes)}
              onDelete={() => {
                void deleteElements({ nodes: [{ id: selected.id }] })
                setSelectedId(null)
                setDirty(true)
              }}
            />
          ) : (
            <p className={cn('text-sm text-slate-500')}>{t(readOnly ? 'flows.editor.selectToView' : 'flows.editor.help')}</p>
          )}
        </aside>
      </div>
    </div>
  )
}

function WebhookUrl({ url, saved }: { url: string | null; saved: boolean }) {
  const t = useT()
  if (!url) {
    return saved ? null : <Alert tone="info">{t('flows.webhook.afterSave')}</Alert>
  }
  const absolute = new URL(url.startsWith('/') ? apiUrl(url) : url, window.location.origin).href
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="flow-webhook">
      <span className="text-slate-500">{t('flows.webhook.url')}</span>
      <code className="min-w-0 flex-1 truncate font-mono text-xs" data-testid="flow-webhook-url">
        {absolute}
      </code>
      <Button
        variant="outline"
        size="sm"
        onClick={() =>
          void navigator.clipboard
            .writeText(absolute)
            .then(() => toast(t('flows.webhook.copied')))
            .catch(() => toast(t('flows.webhook.copyFailed'), 'error'))
        }
        data-testid="flow-webhook-copy"
      >
        <Copy aria-hidden />
        {t('flows.webhook.copy')}
      </Button>
    </div>
  )
}
