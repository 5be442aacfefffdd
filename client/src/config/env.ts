import { parseEnv, type Env } from './parse-env'

export type { Env } from './parse-env'

// Also checked by vite.config.ts at build time; this catches a dev server started with bad values.
export const env: Env = parseEnv(import.meta.env)
