import type { QueryClient } from '@tanstack/react-query'
import { whatsappKeys } from './credentials'
import { patchInstance } from './instances'
import type { Instance } from './types'

const isInstancePayload = (payload: unknown): payload is { instance: Instance } =>
  typeof payload === 'object' &&
  payload !== null &&
  'instance' in payload &&
  typeof payload.instance === 'object' &&
  (payload as { instance: { id?: unknown } | null }).instance?.id !== undefined

export function whatsappRealtimeHandlers(queryClient: QueryClient) {
  return {
    'instance-status': (payload: unknown) => {
      if (!isInstancePayload(payload)) return
      const { instance } = payload
      const known = queryClient.getQueryData<Instance[]>(whatsappKeys.instances)
      // An instance created in another tab: the list has to be fetched to show it.
      if (known && !known.some((item) => item.id === instance.id)) {
        void queryClient.invalidateQueries({ queryKey: whatsappKeys.instances })
        return
      }
      patchInstance(queryClient, instance.id, instance)
    },
  }
}
