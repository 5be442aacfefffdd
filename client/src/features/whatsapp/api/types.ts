export const PROVIDERS = ['EVOLUTION', 'UAZAPI'] as const
export type Provider = (typeof PROVIDERS)[number]

/** A gateway's address and key; the key itself is never sent back. */
export type Credential = { id: string; provider: Provider; apiUrl: string; isActive: boolean; createdAt: string }
export type CreateCredentialInput = { provider: Provider; apiUrl: string; apiKey: string }

/** The development gateway (`evoai sandbox`), when it runs. */
export type Sandbox = { url: string; apiKey: string; phoneUrl: string }

export const CONNECTION_STATUSES = ['close', 'qrcode', 'connecting', 'open'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]

export type Instance = {
  id: string
  publicId: string
  instanceName: string
  provider: Provider
  isConnected: boolean
  connectionStatus: ConnectionStatus
  phoneNumber: string | null
  profileName: string | null
  /** data:image/png;base64,… while waiting for a scan. */
  qrCode: string | null
  pairingCode: string | null
  createdAt: string
  updatedAt: string
}

/** What a gateway needs to call us; sent to admins only. */
export type InstanceWebhook = { url: string; secret: string; header: string }
export type InstanceDetail = Instance & { webhook?: InstanceWebhook }

export type ConnectResult = { qrcode: string | null; pairingCode: string | null; status: ConnectionStatus }
export type CheckResult = { isConnected: boolean; connectionStatus: ConnectionStatus; phoneNumber: string | null }
