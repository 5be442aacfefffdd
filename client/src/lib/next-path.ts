const PROBE_ORIGIN = 'http://next-path.invalid'

/** Starts with exactly one slash: "//host" and "/\\host" are protocol-relative to a browser. */
const isSingleSlashPath = (path: string) => path.startsWith('/') && path[1] !== '/' && path[1] !== '\\'

/**
 * The `?next=` target after login, or null when it is not a path inside this app.
 * Only same-origin paths pass: "//evil.com" and "/\evil.com" are protocol-relative to a browser,
 * and anything with a scheme ("https:", "javascript:") leaves the app.
 */
export function safeNextPath(value: string | null | undefined): string | null {
  if (!value || !isSingleSlashPath(value)) return null
  // Browsers read "\" as "/", and strip tabs/newlines from URLs before parsing.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null
  try {
    const url = new URL(value, PROBE_ORIGIN)
    if (url.origin !== PROBE_ORIGIN) return null
    const path = `${url.pathname}${url.search}${url.hash}`
    // Dot segments can collapse into a protocol-relative path: "/.//evil.com" → "//evil.com".
    return isSingleSlashPath(path) ? path : null
  } catch {
    return null
  }
}

/** "/login?next=…" for a page that must come back after signing in. */
export const loginPathReturningTo = (path: string): string => `/login?next=${encodeURIComponent(path)}`
