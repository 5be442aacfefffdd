import type { Permissions, PlanType, Role } from '@/types/api'

export type CompanyMembership = { id: string; name: string; role: Role }
export type CompanySummary = { id: string; name: string; planType: PlanType; maxWhatsappInstances: number | null }

type Profile = {
  id: string
  email: string
  fullName: string
  phone: string | null
  timezone: string | null
  roles: string[]
  isActive: boolean
  companies: CompanyMembership[]
  /** Plan limits and flags of the current company; `{}` without one. */
  companyFeatures: Record<string, unknown>
}

/** GET /api/auth/me for a member of the company in the token. */
export type MeWithCompany = Profile & {
  companyId: string
  activeCompanyId: string
  role: Role
  permissions: Permissions
  company: CompanySummary
}

/**
 * GET /api/auth/me for someone who belongs to no company (e.g. removed from their only one):
 * still signed in, so they can see who they are and accept an invitation.
 */
export type MeWithoutCompany = Profile & {
  companyId: null
  activeCompanyId: null
  role: null
  /** `{}` from the server: every permission is off. */
  permissions: Partial<Permissions>
  company: null
}

export type Me = MeWithCompany | MeWithoutCompany

export type Session = { accessToken: string; refreshToken: string; expiresIn: number }
