import { useMutation } from '@tanstack/react-query'
import { ApiError, apiUrl, refreshSession } from '@/lib/api-client'
import { syncTokensFromStorage } from '@/lib/auth-store'
import { contactPath } from './contacts'
import { filterQuery, type ApiQuery } from './query'
import type { ContactListParams } from './types'

async function authorisedGet(url: string): Promise<Response> {
  const get = async (token: string | null) => {
    try {
      return await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
    } catch {
      throw new ApiError(0, 'Network error', 'network_error')
    }
  }
  const token = syncTokensFromStorage().accessToken
  const response = await get(token)
  if (response.status !== 401 || !token) return response
  // Same recovery as apiFetch: another request may have refreshed meanwhile, else refresh once.
  const current = syncTokensFromStorage()
  if (current.accessToken && current.accessToken !== token) return get(current.accessToken)
  if (current.accessToken && (await refreshSession(current.refreshToken))) return get(syncTokensFromStorage().accessToken)
  return response
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: string; code?: string }
    return new ApiError(response.status, body.error ?? `HTTP ${response.status}`, body.code ?? 'internal_error')
  } catch {
    return new ApiError(response.status, `HTTP ${response.status}`, 'internal_error')
  }
}

/** `filename*=UTF-8''…` first (accents survive), then the plain `filename="…"`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain ? plain[1].trim() : null
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers; the next tick is enough.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/**
 * A file from the API saved through the browser. A plain link cannot send the bearer token,
 * so the file is fetched with it and handed over as a blob.
 */
export async function downloadFile(path: string, query: ApiQuery | undefined, fallbackName: string): Promise<void> {
  const response = await authorisedGet(apiUrl(path, query))
  if (!response.ok) throw await errorOf(response)
  save(await response.blob(), fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName)
}

const today = () => new Date().toISOString().slice(0, 10)

export const useExportContacts = () =>
  useMutation({
    mutationFn: (params: ContactListParams) => downloadFile('/api/contacts/export', filterQuery(params), `contatos-${today()}.csv`),
  })

export const useExportContactData = (contact: { id: string; publicId: string }) =>
  useMutation({
    // The server names the file itself; the fallback is the same name.
    mutationFn: () => downloadFile(contactPath(contact.id, 'export'), undefined, `contato-${contact.publicId}.json`),
  })
