// The three public settings of the web client (spec 9.3). Each is optional: empty means
// "same origin as the page", which is how the API serves the built app.

export type Env = {
  /** Origin of the REST API, without the trailing `/api`; '' = same origin. */
  API_URL: string
  /** Origin of the Socket.IO server; '' = same origin. */
  WS_URL: string
  /** Public base URL of uploaded files; '' = served by the API. */
  STORAGE_URL: string
}

type RawEnv = Record<string, string | boolean | undefined>

const HTTP = ['http:', 'https:']
const HTTP_OR_WS = [...HTTP, 'ws:', 'wss:']

function readUrl(raw: RawEnv, name: string, protocols: string[], problems: string[]): string {
  const value = raw[name]
  if (value === undefined || value === '') return ''
  if (typeof value !== 'string') {
    problems.push(`${name} must be a string`)
    return ''
  }
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    problems.push(`${name}="${value}" is not a URL`)
    return ''
  }
  if (!protocols.includes(url.protocol)) {
    problems.push(`${name}="${value}" must use ${protocols.map((p) => p.replace(':', '')).join('/')}`)
    return ''
  }
  return url.href.replace(/\/+$/, '')
}

export function parseEnv(raw: RawEnv): Env {
  const problems: string[] = []
  let apiUrl = readUrl(raw, 'VITE_API_URL', HTTP, problems)
  // Deployments write both "https://api.example.com" and "https://api.example.com/api";
  // every request path already starts with /api, so accept either form.
  apiUrl = apiUrl.replace(/\/api$/, '')
  const env: Env = {
    API_URL: apiUrl,
    WS_URL: readUrl(raw, 'VITE_WS_URL', HTTP_OR_WS, problems),
    STORAGE_URL: readUrl(raw, 'VITE_STORAGE_URL', HTTP, problems),
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid client configuration (leave a variable empty to use the page's origin):\n- ${problems.join('\n- ')}`,
    )
  }
  return env
}
