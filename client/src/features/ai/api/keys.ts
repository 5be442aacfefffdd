export const aiKeys = {
  status: ['ai', 'status'] as const,
  usage: ['ai', 'usage'] as const,
  instances: ['ai', 'instances'] as const,
  instance: (id: string) => ['ai', 'instances', id] as const,
  prompt: (id: string) => ['ai', 'prompt', id] as const,
  onboarding: (id: string) => ['ai', 'onboarding', id] as const,
  conversationState: (id: string) => ['ai', 'conversation-state', id] as const,
  assistantConversations: ['ai', 'assistant', 'conversations'] as const,
  assistantMessages: (id: string) => ['ai', 'assistant', 'messages', id] as const,
  search: (params: { q: string; limit?: number; instanceId?: string; contactId?: string }) => ['ai', 'search', params] as const,
}
