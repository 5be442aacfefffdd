import type { Permissions, PlanType, Role } from '@/types/api'

export type CompanyMembership = { id: string; name: string; role: Role }

export type Me = {
  id: string
  email: string
  fullName: string
  phone: string | null
  timezone: string | null
  companyId: string
  activeCompanyId: string
  role: Role
  permissions: Permissions
  company: { id: string; name: string; planType: PlanType; maxWhatsappInstances: number | null }
  companyFeatures: Record<string, unknown>
  roles: string[]
  isActive: boolean
  companies: CompanyMembership[]
}

export type Session = { accessToken: string; refreshToken: string; expiresIn: number }
