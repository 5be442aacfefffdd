import {
  AlarmClock,
  ArchiveX,
  Bot,
  Contact,
  CreditCard,
  LayoutDashboard,
  MessageSquareText,
  MessagesSquare,
  PlugZap,
  ShieldCheck,
  Smartphone,
  SquareKanban,
  Users,
  Workflow,
  type LucideIcon,
} from 'lucide-react'
import type { MessageKey } from '@/lib/i18n'

export type NavItem = { to: string; labelKey: MessageKey; icon: LucideIcon; testId: string; companyAdminOnly?: boolean }
export type NavGroup = { labelKey?: MessageKey; items: NavItem[]; superAdminOnly?: boolean }

// One list for the sidebar and the router's placeholders, so every section has a page.
export const NAV_GROUPS: NavGroup[] = [
  {
    items: [
      { to: '/', labelKey: 'nav.dashboard', icon: LayoutDashboard, testId: 'nav-dashboard' },
      { to: '/inbox', labelKey: 'nav.inbox', icon: MessagesSquare, testId: 'nav-inbox' },
      { to: '/contacts', labelKey: 'nav.contacts', icon: Contact, testId: 'nav-contacts' },
      { to: '/funnels', labelKey: 'nav.funnels', icon: SquareKanban, testId: 'nav-funnels' },
      { to: '/ai', labelKey: 'nav.ai', icon: Bot, testId: 'nav-ai' },
      { to: '/connections', labelKey: 'nav.connections', icon: Smartphone, testId: 'nav-connections' },
    ],
  },
  {
    labelKey: 'nav.automation',
    items: [
      { to: '/automation/follow-ups', labelKey: 'nav.followups', icon: AlarmClock, testId: 'nav-followups' },
      { to: '/automation/flows', labelKey: 'nav.flows', icon: Workflow, testId: 'nav-flows' },
    ],
  },
  {
    labelKey: 'nav.settings',
    items: [
      { to: '/settings/team', labelKey: 'nav.team', icon: Users, testId: 'nav-team' },
      { to: '/settings/quick-replies', labelKey: 'nav.quickReplies', icon: MessageSquareText, testId: 'nav-quick-replies' },
      { to: '/settings/plan', labelKey: 'nav.plan', icon: CreditCard, testId: 'nav-plan' },
      {
        to: '/settings/whatsapp',
        labelKey: 'nav.whatsappProviders',
        icon: PlugZap,
        testId: 'nav-whatsapp-providers',
        companyAdminOnly: true,
      },
      {
        to: '/settings/dead-letters',
        labelKey: 'nav.deadLetters',
        icon: ArchiveX,
        testId: 'nav-dead-letters',
        companyAdminOnly: true,
      },
    ],
  },
  {
    superAdminOnly: true,
    items: [{ to: '/admin/companies', labelKey: 'nav.admin', icon: ShieldCheck, testId: 'nav-admin' }],
  },
]

/** Sections whose real pages are still to be built; each gets a lazy "coming soon" route. */
export const COMING_SOON: { path: string; titleKey: MessageKey }[] = []
