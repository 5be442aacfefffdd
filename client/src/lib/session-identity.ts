/**
 * Who and which company an access token speaks for, read from its (unverified) JWT payload —
 * only to tell whether the data cached for one token can be shown for another.
 * Null when the token is missing or unreadable.
 */
export function sessionIdentity(accessToken: string | null): string | null {
  const payload = accessToken?.split('.')[1]
  if (!payload) return null
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as {
      sub?: unknown
      companyId?: unknown
    }
    if (typeof claims.sub !== 'string') return null
    return `${claims.sub}|${typeof claims.companyId === 'string' ? claims.companyId : ''}`
  } catch {
    return null
  }
}
