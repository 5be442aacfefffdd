import type { MeWithCompany, MeWithoutCompany } from '@/features/auth/api/types'
import type { Permissions } from '@/types/api'

export const allPermissions: Permissions = {
  canManageUsers: true,
  canManageWhatsApp: true,
  canViewReports: true,
  canManageFlows: true,
  canManageContacts: true,
  canManagePrompt: true,
}

export function makeMe(overrides: Partial<MeWithCompany> = {}): MeWithCompany {
  return {
    id: 'user-1',
    email: 'ana@example.com',
    fullName: 'Ana Lima',
    phone: null,
    timezone: 'America/Sao_Paulo',
    companyId: 'company-a',
    activeCompanyId: 'company-a',
    role: 'admin',
    permissions: allPermissions,
    company: { id: 'company-a', name: 'Loja Alfa', planType: 'free', maxWhatsappInstances: 1 },
    companyFeatures: {},
    roles: ['USER'],
    isActive: true,
    companies: [
      { id: 'company-a', name: 'Loja Alfa', role: 'admin' },
      { id: 'company-b', name: 'Clínica Beta', role: 'member' },
    ],
    ...overrides,
  }
}

/** /me of a signed-in user who belongs to no company, as the API sends it. */
export function makeMeWithoutCompany(overrides: Partial<MeWithoutCompany> = {}): MeWithoutCompany {
  return {
    id: 'user-1',
    email: 'ana@example.com',
    fullName: 'Ana Lima',
    phone: null,
    timezone: 'America/Sao_Paulo',
    companyId: null,
    activeCompanyId: null,
    role: null,
    permissions: {},
    company: null,
    companyFeatures: {},
    roles: ['USER'],
    isActive: true,
    companies: [],
    ...overrides,
  }
}
