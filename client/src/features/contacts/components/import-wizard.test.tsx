import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { ImportResult } from '../api/types'
import { lead, makeImportResult, vip } from '../test-fixtures'
import { ImportWizard } from './import-wizard'

const csv = () => new File(['nome,telefone\nBruno,5511911112222\n'], 'contatos.csv', { type: 'text/csv' })

function renderWizard(answer: (form: FormData) => Response) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const forms: FormData[] = []
  const fetchMock = stubFetch(({ url, init }) => {
    if (url === '/api/contacts/tags/list') return ok([vip, lead])
    if (url === '/api/contacts/import') {
      const form = init.body as FormData
      forms.push(form)
      return answer(form)
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<ImportWizard />), fetchMock, forms }
}

const done: ImportResult = makeImportResult({
  created: 1,
  rows: makeImportResult().rows.map((row) => (row.status === 'create' ? { ...row, status: 'created', contactId: 'c-bruno' } : row)),
})

describe('ImportWizard', () => {
  it('previews with dryRun, shows per-row errors, then imports with the chosen tags', async () => {
    const { user, forms } = renderWizard((form) => ok(form.get('dryRun') === 'true' ? makeImportResult() : done))
    await user.click(screen.getByTestId('contact-import'))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByTestId('import-upload')).toBeDisabled()

    await user.upload(within(dialog).getByTestId('import-file'), csv())
    expect(within(dialog).getByText('contatos.csv')).toBeInTheDocument()
    await user.click(within(dialog).getByTestId('import-upload'))

    const preview = await within(dialog).findByTestId('import-preview')
    expect(forms[0].get('dryRun')).toBe('true')
    expect((forms[0].get('file') as File).name).toBe('contatos.csv')
    expect(within(preview).getByTestId('import-columns')).toHaveTextContent('Colunas reconhecidas: Nome, Telefone, E-mail')
    expect(within(preview).getByTestId('import-count-total')).toHaveTextContent('3')
    expect(within(preview).getByTestId('import-count-created')).toHaveTextContent('A criar1')
    expect(within(preview).getByTestId('import-count-duplicates')).toHaveTextContent('1')
    expect(within(preview).getByTestId('import-count-invalid')).toHaveTextContent('1')
    const rows = within(preview).getAllByTestId('import-row')
    expect(rows.map((row) => row.dataset.status)).toEqual(['create', 'duplicate', 'invalid'])
    expect(within(rows[2]).getByTestId('import-row-error')).toHaveTextContent('Telefone inválido: 123')
    expect(within(rows[2]).getByText('Inválido')).toBeInTheDocument()

    await user.click(within(preview).getByTestId('import-only-problems'))
    expect(within(preview).getAllByTestId('import-row').map((row) => row.dataset.status)).toEqual(['duplicate', 'invalid'])

    await user.click((await within(preview).findAllByTestId('import-tag-option'))[1])
    await user.click(within(preview).getByTestId('import-confirm'))

    const result = await within(dialog).findByTestId('import-result')
    expect(forms[1].get('dryRun')).toBe('false')
    expect(forms[1].get('tagIds')).toBe('tag-lead')
    expect(within(result).getByTestId('import-count-created')).toHaveTextContent('Criados1')
    expect(within(result).getAllByTestId('import-row').map((row) => row.dataset.status)).toEqual(['duplicate', 'invalid'])
    await user.click(within(result).getByTestId('import-done'))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('cannot confirm when no row would be created', async () => {
    const nothing = makeImportResult({ created: 0, rows: makeImportResult().rows.filter((row) => row.status !== 'create') })
    const { user } = renderWizard(() => ok(nothing))
    await user.click(screen.getByTestId('contact-import'))
    await user.upload(screen.getByTestId('import-file'), csv())
    await user.click(screen.getByTestId('import-upload'))
    expect(await screen.findByTestId('import-confirm')).toBeDisabled()
  })

  it('keeps the chosen file and shows the error when the plan refuses the import', async () => {
    const { user } = renderWizard(() => fail(422, 'O plano Free permite 500 contatos', 'plan_limit'))
    await user.click(screen.getByTestId('contact-import'))
    await user.upload(screen.getByTestId('import-file'), csv())
    await user.click(screen.getByTestId('import-upload'))
    expect(await screen.findByTestId('import-error')).toHaveTextContent('O plano Free permite 500 contatos')
    expect(screen.getByTestId('import-wizard')).toHaveAttribute('data-step', 'choose')
  })
})
