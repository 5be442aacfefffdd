import { create } from 'zustand'
import { persist } from 'zustand/middleware'

type PanelState = { open: boolean; setOpen: (open: boolean) => void }

/** Whether the inbox shows the conversation's AI panel; remembered across visits. */
export const useAiPanelStore = create<PanelState>()(
  persist((set) => ({ open: false, setOpen: (open) => set({ open }) }), {
    name: 'evoai.ai-panel',
    partialize: ({ open }) => ({ open }),
  }),
)
