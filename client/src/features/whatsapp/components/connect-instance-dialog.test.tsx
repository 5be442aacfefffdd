import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { useInstances } from '../api/instances'
import { whatsappRealtimeHandlers } from '../api/realtime'
import type { Instance } from '../api/types'
import { InstancesGrid } from './instances-grid'

const QR_1 = 'data:image/png;base64,AAAA'
const QR_2 = 'data:image/png;base64,BBBB'

const instance: Instance = {
  id: 'inst-1',
  publicId: 'I1',
  instanceName: 'Vendas',
  provider: 'EVOLUTION',
  isConnected: false,
  connectionStatus: 'close',
  phoneNumber: null,
  profileName: null,
  qrCode: null,
  pairingCode: null,
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
}

function Connections() {
  const instances = useInstances()
  return instances.data ? <InstancesGrid instances={instances.data} canManage isAdmin /> : null
}

describe('Connect dialog', () => {
  it('shows the QR, swaps it when the socket pushes a new one, then shows success and closes when open', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url }) => {
      if (url === '/api/whatsapp/instances') return ok([instance])
      if (url === '/api/whatsapp/instances/inst-1/connect') return ok({ qrcode: QR_1, pairingCode: null, status: 'qrcode' })
      return ok(null)
    })
    const { user, queryClient } = renderWithProviders(<Connections />)
    expect(await screen.findByTestId('instance-status-badge')).toHaveAttribute('data-status', 'close')
    expect(screen.getByTestId('instance-status-badge')).toHaveTextContent('Desconectado')

    await user.click(screen.getByTestId('instance-connect-button'))
    const dialog = await screen.findByRole('dialog')
    expect(await within(dialog).findByTestId('instance-qr-image')).toHaveAttribute('src', QR_1)
    expect(within(dialog).getByTestId('instance-status-badge')).toHaveTextContent('Aguardando QR')
    expect(fetchMock.mock.calls.some(([url, init]) => url === '/api/whatsapp/instances/inst-1/connect' && init?.method === 'POST')).toBe(true)

    const push = whatsappRealtimeHandlers(queryClient)['instance-status']
    act(() => push({ instance: { ...instance, connectionStatus: 'qrcode', qrCode: QR_2 } }))
    await waitFor(() => expect(within(dialog).getByTestId('instance-qr-image')).toHaveAttribute('src', QR_2))

    act(() =>
      push({ instance: { ...instance, connectionStatus: 'open', isConnected: true, qrCode: null, phoneNumber: '5511988887777' } }),
    )
    expect(await within(dialog).findByTestId('instance-connected')).toHaveTextContent('Conectado!')
    expect(within(dialog).getByTestId('instance-connected')).toHaveTextContent('+5511988887777')
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: 3000 })
    expect(screen.getByTestId('instance-status-badge')).toHaveAttribute('data-status', 'open')
    expect(screen.queryByTestId('instance-connect-button')).not.toBeInTheDocument()
  })

  it('asks for a pairing code with the phone number instead of the QR', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url, body }) => {
      if (url === '/api/whatsapp/instances') return ok([instance])
      const phone = (body as { phoneNumber?: string } | undefined)?.phoneNumber
      return ok(phone ? { qrcode: null, pairingCode: 'ABCD-1234', status: 'qrcode' } : { qrcode: QR_1, pairingCode: null, status: 'qrcode' })
    })
    const { user } = renderWithProviders(<Connections />)
    await user.click(await screen.findByTestId('instance-connect-button'))
    const dialog = await screen.findByRole('dialog')
    await within(dialog).findByTestId('instance-qr-image')

    await user.type(within(dialog).getByLabelText('Ou conecte com um código'), '+55 (11) 98888-7777')
    await user.click(within(dialog).getByRole('button', { name: /Conectar com código/ }))

    expect(await within(dialog).findByTestId('instance-pairing-code')).toHaveTextContent('ABCD-1234')
    const last = fetchMock.mock.calls.at(-1)
    expect(JSON.parse(last?.[1]?.body as string)).toEqual({ phoneNumber: '5511988887777' })
  })
})
