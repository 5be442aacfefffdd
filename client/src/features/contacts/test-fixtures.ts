import { onTestFinished, vi } from 'vitest'
import type { Contact, ContactPage, ContactSummary, FunnelOption, ImportResult, Note, Tag, TimelineItem } from './api/types'

export function makeTag(overrides: Partial<Tag> = {}): Tag {
  return {
    id: 'tag-vip',
    name: 'VIP',
    color: '#F59E0B',
    description: null,
    isAiManaged: false,
    contactCount: 3,
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    ...overrides,
  }
}

export const vip = makeTag()
export const lead = makeTag({ id: 'tag-lead', name: 'Lead quente', color: '#EF4444', contactCount: 1 })

export function makeSummary(overrides: Partial<ContactSummary> = {}): ContactSummary {
  return {
    id: 'c-ana',
    publicId: 'CT-1',
    name: 'Ana Souza',
    pushName: 'Aninha',
    displayName: 'Ana Souza',
    phoneNumber: '5511999998888',
    email: 'ana@example.com',
    isBlocked: false,
    avatarUrl: null,
    source: 'whatsapp',
    tags: [{ id: vip.id, name: vip.name, color: vip.color }],
    currentStage: { id: 'st-proposta', name: 'Proposta', color: '#0EA5E9', funnelId: 'f-vendas', funnelName: 'Vendas' },
    lastActivityAt: '2030-01-05T12:00:00Z',
    createdAt: '2030-01-01T10:00:00Z',
    updatedAt: '2030-01-05T12:00:00Z',
    ...overrides,
  }
}

export function makeContact(overrides: Partial<Contact> = {}): Contact {
  return {
    ...makeSummary(),
    notes: 'Prefere contato à tarde',
    customFields: { cidade: 'Campinas', pedidos: 3 },
    conversations: [{ id: 'conv-1', instanceId: 'inst-1', instanceName: 'Vendas', lastMessageAt: '2030-01-05T12:00:00Z', unreadCount: 2 }],
    deals: [{ id: 'deal-1', title: 'Plano anual', value: 1200, status: 'OPEN', stage: { id: 'st-proposta', name: 'Proposta' }, funnelId: 'f-vendas' }],
    aiProfile: null,
    ...overrides,
  }
}

export function contactPage(contacts: ContactSummary[], pagination: Partial<ContactPage['pagination']> = {}): ContactPage {
  return { contacts, pagination: { page: 1, limit: 50, total: contacts.length, totalPages: 1, ...pagination } }
}

export const funnels: FunnelOption[] = [
  {
    id: 'f-vendas',
    name: 'Vendas',
    isDefault: true,
    stages: [
      { id: 'st-novo', name: 'Novo', color: '#6B7280', order: 0 },
      { id: 'st-proposta', name: 'Proposta', color: '#0EA5E9', order: 1 },
    ],
  },
  { id: 'f-pos', name: 'Pós-venda', isDefault: false, stages: [{ id: 'st-onboarding', name: 'Onboarding', color: '#10B981', order: 0 }] },
]

export function makeNote(overrides: Partial<Note> = {}): Note {
  return {
    id: 'note-1',
    content: 'Pediu orçamento do plano anual',
    createdBy: { id: 'user-1', fullName: 'Ana Lima' },
    createdAt: '2030-01-04T09:00:00Z',
    updatedAt: '2030-01-04T09:00:00Z',
    ...overrides,
  }
}

export function makeTimelineItem(overrides: Partial<TimelineItem> = {}): TimelineItem {
  return {
    id: 'ev-1',
    at: '2030-01-05T12:00:00Z',
    kind: 'event',
    type: 'TAG_ADDED',
    actor: 'user',
    user: { id: 'user-1', fullName: 'Ana Lima' },
    summary: 'Tag VIP adicionada',
    payload: {},
    ...overrides,
  }
}

export function makeImportResult(overrides: Partial<ImportResult> = {}): ImportResult {
  return {
    total: 3,
    created: 1,
    updated: 0,
    duplicates: 1,
    invalid: 1,
    dryRun: true,
    columns: ['name', 'phoneNumber', 'email'],
    rows: [
      { line: 2, status: 'create', name: 'Bruno', phoneNumber: '5511911112222', email: null },
      { line: 3, status: 'duplicate', name: 'Ana', phoneNumber: '5511999998888', email: null, contactId: 'c-ana' },
      { line: 4, status: 'invalid', name: 'Carla', phoneNumber: '123', email: null, error: 'Telefone inválido: 123' },
    ],
    ...overrides,
  }
}

/**
 * jsdom has no object URLs and would try to navigate on a download link's click:
 * both are replaced for one test, and put back after it.
 */
export function stubDownloads() {
  const createObjectURL = vi.fn<(blob: Blob) => string>(() => 'blob:download')
  const revokeObjectURL = vi.fn()
  const urls = URL as unknown as Record<string, unknown>
  const original = { createObjectURL: urls.createObjectURL, revokeObjectURL: urls.revokeObjectURL }
  Object.assign(URL, { createObjectURL, revokeObjectURL })
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
  onTestFinished(() => {
    Object.assign(URL, original)
    click.mockRestore()
  })
  return { createObjectURL, revokeObjectURL, click }
}
