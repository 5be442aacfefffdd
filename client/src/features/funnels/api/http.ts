import { apiFetch } from '@/lib/api-client'

// The shared client has no PUT shortcut; the CRM contract uses PUT for every update.
export const put = async <T>(path: string, body: unknown): Promise<T> =>
  (await apiFetch<T>(path, { method: 'PUT', body })).data

export const id = (value: string) => encodeURIComponent(value)
