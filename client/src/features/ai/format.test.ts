import { describe, expect, it } from 'vitest'
import { translate } from '@/lib/i18n'
import { aiTimelineText, formatUsd } from './format'

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('pt-BR', key, params)

describe('AI texts', () => {
  it('turns an AI_ACTION event into a readable sentence with its reason', () => {
    const text = aiTimelineText(
      {
        type: 'AI_ACTION',
        actor: 'ai',
        summary: 'Ai action',
        payload: { tool: 'add_tag', arguments: { tag: 'Interessado' }, reason: 'o cliente falou de Interessado', level: 1, status: 'done', detail: "tag 'Interessado' adicionada" },
      },
      t,
    )
    expect(text).toBe('Adicionar tag: Interessado · feito\nMotivo: o cliente falou de Interessado')
  })

  it('shows why a refused action was refused', () => {
    const text = aiTimelineText(
      { type: 'AI_ACTION', actor: 'ai', summary: '', payload: { tool: 'move_stage', arguments: { stage: 'Proposta' }, reason: 'quer comprar', level: 1, status: 'refused', detail: 'não permitido no nível de autonomia 1' } },
      t,
    )
    expect(text).toContain('Mover no funil: Proposta · recusado')
    expect(text).toContain('não permitido no nível de autonomia 1')
  })

  it("adds the model's reason to other events by the AI and leaves people's events alone", () => {
    expect(aiTimelineText({ type: 'TAG_ADDED', actor: 'ai', summary: 'Tag Interessado adicionada', payload: { reason: 'pediu preço' } }, t)).toBe(
      'Tag Interessado adicionada\nMotivo: pediu preço',
    )
    expect(aiTimelineText({ type: 'TAG_ADDED', actor: 'user', summary: 'Tag VIP adicionada', payload: {} }, t)).toBeNull()
  })

  it('formats small dollar amounts with enough digits', () => {
    expect(formatUsd('0.004200', 'pt-BR')).toMatch(/US\$\s?0,0042/)
    expect(formatUsd('12.5', 'en')).toBe('$12.50')
  })
})
