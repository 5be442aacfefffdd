import type { QuickReply } from './api/quick-replies'

export function makeReply(overrides: Partial<QuickReply> = {}): QuickReply {
  return {
    id: 'qr-1',
    shortcut: 'preco',
    title: 'Tabela de preços',
    content: 'Olá {{contact.firstName}}, o modelo custa R$ 99.',
    scope: 'company',
    createdBy: null,
    updatedAt: '2030-01-01T12:00:00Z',
    ...overrides,
  }
}

export const REPLIES: QuickReply[] = [
  makeReply({ id: 'qr-oi', shortcut: 'oi', title: 'Saudação', content: 'Oi {{contact.name}}!' }),
  makeReply({ id: 'qr-pix', shortcut: 'pix', title: 'Chave Pix', content: 'Nossa chave: loja@pix', scope: 'personal' }),
  makeReply({ id: 'qr-preco', shortcut: 'preco', title: 'Tabela de preços' }),
  makeReply({ id: 'qr-prazo', shortcut: 'prazo', title: 'Prazo de entrega', content: 'Entregamos em 3 dias.' }),
]
