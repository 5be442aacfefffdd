import { describe, expect, it } from 'vitest'
import { outputsOf, setPath } from './catalogue'
import { canConnect, newNode, precheck, toEditorEdges, toEditorNodes, toFlowBody, visitedOf, withoutStaleEdges } from './graph'
import { execution, flow } from './test-fixtures'

describe('flow graph serialisation', () => {
  it('turns the editor state into the contract body: nodes with type/subtype/position/data, connections with handles', () => {
    const source = flow()
    const nodes = toEditorNodes(source.nodes)
    const edges = toEditorEdges(source.connections)
    nodes[2] = { ...nodes[2], position: { x: 10.6, y: 359.4 } }
    const body = toFlowBody('  Boas-vindas ', 'desc', nodes, edges)
    expect(body.name).toBe('Boas-vindas')
    expect(body.description).toBe('desc')
    expect(body.nodes).toEqual([
      source.nodes[0],
      source.nodes[1],
      { ...source.nodes[2], position: { x: 11, y: 359 } },
      source.nodes[3],
    ])
    expect(body.connections).toEqual(source.connections)
  })

  it('gives a node fresh from the palette its kind, defaults and the first free id', () => {
    const node = newNode('SPLIT', 'Divisão A/B', { x: 5, y: 6 }, ['n1', 'n3'])
    expect(node.id).toBe('n2')
    const body = toFlowBody('x', '', [node], [])
    expect(body.nodes[0]).toEqual({
      id: 'n2',
      type: 'condition',
      subtype: 'SPLIT',
      label: 'Divisão A/B',
      position: { x: 5, y: 6 },
      data: { percentages: [50, 50] },
    })
  })

  it('names the outputs of each subtype', () => {
    expect(outputsOf('IF_CONDITION', {})).toEqual(['true', 'false'])
    expect(outputsOf('WAIT_RESPONSE', {})).toEqual(['output', 'timeout'])
    expect(outputsOf('CALL_WEBHOOK', {})).toEqual(['output', 'error'])
    expect(outputsOf('SPLIT', { percentages: [20, 30, 50] })).toEqual(['a', 'b', 'c'])
    expect(outputsOf('SEND_MESSAGE', {})).toEqual(['output'])
  })

  it('drops the connection of a removed SPLIT branch', () => {
    const split = { ...newNode('SPLIT', 'S', { x: 0, y: 0 }, []), id: 's' }
    const three = { ...split, data: { ...split.data, config: { percentages: [30, 30, 40] } } }
    const edges = [
      { id: 'c1', source: 's', target: 'x', sourceHandle: 'a' },
      { id: 'c2', source: 's', target: 'y', sourceHandle: 'c' },
    ]
    expect(withoutStaleEdges([three], edges)).toHaveLength(2)
    expect(withoutStaleEdges([split], edges).map((edge) => edge.id)).toEqual(['c1'])
  })

  it('allows one connection per handle, none into a trigger, no self-loop', () => {
    const nodes = toEditorNodes(flow().nodes)
    const edges = toEditorEdges(flow().connections)
    expect(canConnect({ source: 'n2', target: 'n3', sourceHandle: 'true' }, nodes, edges)).toBe(false)
    expect(canConnect({ source: 'n3', target: 'n4', sourceHandle: 'output' }, nodes, edges)).toBe(true)
    expect(canConnect({ source: 'n3', target: 'n1', sourceHandle: 'output' }, nodes, edges)).toBe(false)
    expect(canConnect({ source: 'n3', target: 'n3', sourceHandle: 'output' }, nodes, edges)).toBe(false)
  })

  it('pre-checks the single trigger', () => {
    const messages = { noTrigger: 'none', manyTriggers: 'many' }
    const nodes = toEditorNodes(flow().nodes)
    expect(precheck(nodes, messages)).toEqual([])
    expect(precheck(nodes.slice(1), messages)).toEqual([{ message: 'none' }])
    const second = { ...newNode('KEYWORD', 'K', { x: 0, y: 0 }, ['n1', 'n2', 'n3', 'n4']) }
    expect(precheck([...nodes, second], messages)).toEqual([{ nodeId: 'n5', message: 'many' }])
  })

  it('finds the nodes and edges a path went through', () => {
    const visited = visitedOf(execution().path ?? [], toEditorEdges(flow().connections))
    expect([...visited.nodes]).toEqual(['n1', 'n2', 'n4'])
    expect([...visited.edges]).toEqual(['c1', 'c3'])
  })

  it('edits nested data by dotted path and drops emptied optional keys', () => {
    expect(setPath({}, 'filter.tagIds', ['t1'])).toEqual({ filter: { tagIds: ['t1'] } })
    expect(setPath({ filter: { tagIds: ['t1'] } }, 'filter.tagIds', undefined)).toEqual({})
    expect(setPath({ fields: {} }, 'fields.name', 'Ana')).toEqual({ fields: { name: 'Ana' } })
    expect(setPath({ fields: { name: 'Ana' } }, 'fields.name', undefined)).toEqual({ fields: {} })
  })
})
