import { create } from 'zustand'

type Offer = { conversationId: string; text: string }
type DraftState = {
  /** A text for the send box of that conversation (the AI's suggested reply), until it is taken. */
  offer: Offer | null
  offerDraft: (conversationId: string, text: string) => void
  clear: () => void
}

/**
 * Other panels put text into the chat's send box through here; the send box owns its draft and
 * takes the offer at once. Returns whether a send box took it (none: the chat is not on screen).
 */
export const useDraftStore = create<DraftState>()((set) => ({
  offer: null,
  offerDraft: (conversationId, text) => set({ offer: { conversationId, text } }),
  clear: () => set({ offer: null }),
}))

export function offerDraft(conversationId: string, text: string): boolean {
  useDraftStore.getState().offerDraft(conversationId, text)
  const left = useDraftStore.getState().offer
  if (left === null) return true
  useDraftStore.getState().clear()
  return false
}
