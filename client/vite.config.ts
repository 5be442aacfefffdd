import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { loadEnv } from 'vite'
import { defineConfig } from 'vitest/config'
import { parseEnv } from './src/config/parse-env'

// In development the API (FastAPI on :3000) serves /api, /health and Socket.IO;
// proxying keeps the browser on one origin, as in production.
const apiTarget = process.env.EVOAI_API_PROXY ?? 'http://127.0.0.1:3000'

export default defineConfig(({ mode }) => {
  // Fail the build, not the browser, when a VITE_* URL is malformed.
  parseEnv(loadEnv(mode, process.cwd(), 'VITE_'))
  return {
    plugins: [react(), tailwindcss()],
    resolve: { alias: { '@': new URL('./src', import.meta.url).pathname } },
    server: {
      proxy: {
        '/api': { target: apiTarget, changeOrigin: true },
        '/health': { target: apiTarget, changeOrigin: true },
        '/socket.io': { target: apiTarget, changeOrigin: true, ws: true },
      },
    },
    test: {
      environment: 'jsdom',
      setupFiles: ['./src/test-setup.ts'],
      include: ['src/**/*.test.{ts,tsx}'],
      // One jsdom per worker instead of one per file: 227 s → 48 s for the suite on 2 vCPUs. Each
      // file cleans up after itself (src/test-setup.ts); shuffled orders pass too. Modules are
      // shared, so a `vi.mock` holds only for modules first imported after it: today only
      // src/lib/socket.test.ts mocks (api-client, socket.io-client), and no other test imports
      // lib/socket.ts or app/realtime.ts.
      isolate: false,
    },
  }
})
