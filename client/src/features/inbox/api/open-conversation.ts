import { create } from 'zustand'

type OpenConversationState = { id: string | null; setId: (id: string | null) => void }

/**
 * The conversation on screen. Realtime handlers read it outside React: a message arriving
 * there is read already, so it must not raise the unread badge.
 */
export const useOpenConversationStore = create<OpenConversationState>()((set) => ({
  id: null,
  setId: (id) => set({ id }),
}))
