import { describe, expect, it } from 'vitest'
import { ApiError } from './api-client'
import { errorMessage, fieldErrors, formErrorMessage } from './errors'
import { translate } from './i18n'

const t = (key: Parameters<typeof translate>[1]) => translate('pt-BR', key)
const details = [
  { field: 'email', code: 'value_error', message: 'E-mail inválido' },
  { field: 'body.permissions.canManageUsers', code: 'type', message: 'Deve ser booleano' },
]

describe('error messages', () => {
  it("prefers the server's readable message", () => {
    expect(errorMessage(new ApiError(422, 'Não é possível remover o último administrador', 'unprocessable'), t)).toBe(
      'Não é possível remover o último administrador',
    )
  })

  it('translates bare machine codes, network failures and server errors', () => {
    expect(errorMessage(new ApiError(409, 'conflict', 'conflict'), t)).toBe('Este registro já existe.')
    expect(errorMessage(new ApiError(0, 'Network error', 'network_error'), t)).toMatch(/servidor/)
    expect(errorMessage(new ApiError(500, 'Traceback…', 'internal_error'), t)).toBe('Algo deu errado. Tente novamente.')
    expect(errorMessage(new Error('boom'), t)).toBe('Algo deu errado. Tente novamente.')
  })

  it('maps detail paths to form fields and leaves the rest for the banner', () => {
    const error = new ApiError(400, 'validation_error', 'validation_error', details)
    expect(fieldErrors(error, ['email', 'permissions'])).toEqual({
      email: 'E-mail inválido',
      permissions: 'Deve ser booleano',
    })
    expect(formErrorMessage(error, t, ['email', 'permissions'])).toBeNull()
    expect(formErrorMessage(error, t, ['email'])).toBe('Deve ser booleano')
    expect(formErrorMessage(null, t, ['email'])).toBeNull()
  })
})
