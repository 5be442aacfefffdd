import { describe, expect, it } from 'vitest'
import { parseEnv } from './parse-env'

describe('parseEnv', () => {
  it('defaults everything to the same origin', () => {
    expect(parseEnv({})).toEqual({ API_URL: '', WS_URL: '', STORAGE_URL: '' })
  })

  it('accepts http(s) and ws(s) URLs and trims a trailing /api', () => {
    expect(
      parseEnv({
        VITE_API_URL: 'https://api.example.com/api/',
        VITE_WS_URL: 'wss://ws.example.com',
        VITE_STORAGE_URL: 'https://cdn.example.com/files/',
      }),
    ).toEqual({
      API_URL: 'https://api.example.com',
      WS_URL: 'wss://ws.example.com',
      STORAGE_URL: 'https://cdn.example.com/files',
    })
  })

  it('names every invalid variable in one error', () => {
    expect(() => parseEnv({ VITE_API_URL: 'localhost:3000', VITE_WS_URL: 'ftp://x.y' })).toThrow(
      /VITE_API_URL="localhost:3000".*\n.*VITE_WS_URL="ftp:\/\/x.y" must use http\/https\/ws\/wss/,
    )
  })

  it('rejects a websocket URL for the REST API', () => {
    expect(() => parseEnv({ VITE_API_URL: 'ws://api.example.com' })).toThrow(/VITE_API_URL/)
  })
})
