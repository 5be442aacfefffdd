import { create } from 'zustand'

export type Toast = { id: number; message: string; tone: 'success' | 'error' }

type ToastState = { toasts: Toast[]; dismiss: (id: number) => void }

let nextId = 1

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}))

export function toast(message: string, tone: Toast['tone'] = 'success'): void {
  const id = nextId++
  useToastStore.setState((state) => ({ toasts: [...state.toasts.slice(-3), { id, message, tone }] }))
  setTimeout(() => useToastStore.getState().dismiss(id), tone === 'error' ? 8000 : 4000)
}
