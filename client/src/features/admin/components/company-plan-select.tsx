import { Select } from '@/components/ui/select'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import type { PlanType } from '@/types/api'
import { useChangeCompanyPlan, type AdminCompany } from '../api/companies'

export type PlanOption = { type: PlanType; name: string }

export function CompanyPlanSelect({ company, plans }: { company: AdminCompany; plans: PlanOption[] }) {
  const t = useT()
  const changePlan = useChangeCompanyPlan()

  function change(planType: PlanType) {
    changePlan.mutate(
      { id: company.id, planType },
      {
        onSuccess: () => {
          const name = plans.find((option) => option.type === planType)?.name ?? planType
          toast(t('admin.planChanged', { name: company.name, plan: name }))
        },
        onError: (error) => toast(errorMessage(error, t), 'error'),
      },
    )
  }

  return (
    <Select
      className="w-40"
      aria-label={t('admin.changePlan', { name: company.name })}
      value={changePlan.isPending ? changePlan.variables.planType : company.planType}
      disabled={changePlan.isPending}
      onChange={(event) => change(event.target.value as PlanType)}
      data-testid="admin-company-plan"
    >
      {plans.map((option) => (
        <option key={option.type} value={option.type}>
          {option.name}
        </option>
      ))}
    </Select>
  )
}
