import type { ComponentType } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'
import { PageLoading } from '@/components/page-loading'
import { AppLayout } from './layout/app-layout'
import { RedirectIfAuthenticated, RequireAuth, RequireCompany } from './layout/auth-guards'
import { RouteError } from './layout/route-error'
import { COMING_SOON } from './nav-items'
import type { RouteHandle } from './route-handle'

// Every page is its own chunk; the shell (layout, guards) is in the initial bundle.
const page = (load: () => Promise<{ default: ComponentType }>): RouteObject['lazy'] => async () => ({
  Component: (await load()).default,
})

const handle = (titleKey: RouteHandle['titleKey']): RouteHandle => ({ titleKey })

export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    // Shown while the first lazy page of a fresh load is fetched.
    hydrateFallbackElement: <PageLoading />,
    children: [
      {
        element: <RedirectIfAuthenticated />,
        children: [
          { path: 'login', lazy: page(() => import('./routes/auth/login')), handle: handle('auth.login.title') },
          { path: 'register', lazy: page(() => import('./routes/auth/register')), handle: handle('auth.register.title') },
        ],
      },
      // Public: the person may be signed out, signed in as someone else, or have no account yet.
      { path: 'invite/:token', lazy: page(() => import('./routes/invite')), handle: handle('invite.title') },
      {
        element: (
          <RequireAuth>
            <RequireCompany>
              <AppLayout />
            </RequireCompany>
          </RequireAuth>
        ),
        children: [
          { index: true, lazy: page(() => import('./routes/dashboard')), handle: handle('nav.dashboard') },
          ...COMING_SOON.map(({ path, titleKey }) => ({
            path,
            lazy: page(() => import('./routes/coming-soon')),
            handle: handle(titleKey),
          })),
          // One route for both, so opening a conversation does not remount the list.
          { path: 'inbox/:conversationId?', lazy: page(() => import('./routes/inbox')), handle: handle('nav.inbox') },
          // The internal assistant and the semantic search.
          { path: 'ai', lazy: page(() => import('./routes/ai')), handle: handle('nav.ai') },
          { path: 'contacts', lazy: page(() => import('./routes/contacts')), handle: handle('nav.contacts') },
          {
            path: 'contacts/:contactId',
            lazy: page(() => import('./routes/contact-detail')),
            handle: handle('nav.contacts'),
          },
          { path: 'funnels/:funnelId?', lazy: page(() => import('./routes/funnels')), handle: handle('nav.funnels') },
          { path: 'automation/follow-ups', lazy: page(() => import('./routes/follow-ups')), handle: handle('nav.followups') },
          { path: 'follow-ups', element: <Navigate to="/automation/follow-ups" replace /> },
          // Automation flows; the editor and the executions carry React Flow in their own chunks.
          { path: 'automation/flows', lazy: page(() => import('./routes/flows')), handle: handle('nav.flows') },
          { path: 'automation/flows/new', lazy: page(() => import('./routes/flow-editor')), handle: handle('flows.editor.title') },
          { path: 'automation/flows/:flowId', lazy: page(() => import('./routes/flow-editor')), handle: handle('flows.editor.title') },
          {
            path: 'automation/flows/:flowId/executions',
            lazy: page(() => import('./routes/flow-executions')),
            handle: handle('flows.executions.title'),
          },
          { path: 'connections', lazy: page(() => import('./routes/connections')), handle: handle('nav.connections') },
          {
            path: 'settings',
            lazy: page(() => import('./routes/settings/settings-layout')),
            handle: handle('nav.settings'),
            children: [
              { index: true, element: <Navigate to="team" replace /> },
              { path: 'team', lazy: page(() => import('./routes/settings/team')), handle: handle('nav.team') },
              {
                path: 'quick-replies',
                lazy: page(() => import('./routes/settings/quick-replies')),
                handle: handle('nav.quickReplies'),
              },
              { path: 'plan', lazy: page(() => import('./routes/settings/plan')), handle: handle('nav.plan') },
              {
                path: 'whatsapp',
                lazy: page(() => import('./routes/settings/whatsapp-providers')),
                handle: handle('nav.whatsappProviders'),
              },
              {
                path: 'dead-letters',
                lazy: page(() => import('./routes/settings/dead-letters')),
                handle: handle('nav.deadLetters'),
              },
              // The AI: company status and key, each number's settings, prompt editor, onboarding.
              { path: 'ai', lazy: page(() => import('./routes/settings/ai')), handle: handle('ai.title') },
              {
                path: 'ai/:instanceId/prompt',
                lazy: page(() => import('./routes/settings/ai-prompt')),
                handle: handle('ai.prompt.title'),
              },
              {
                path: 'ai/:instanceId/onboarding',
                lazy: page(() => import('./routes/settings/ai-onboarding')),
                handle: handle('ai.onboarding.title'),
              },
            ],
          },
          { path: 'admin/companies', lazy: page(() => import('./routes/admin-companies')), handle: handle('nav.admin') },
          { path: '*', lazy: page(() => import('./routes/not-found')), handle: handle('errors.notFoundTitle') },
        ],
      },
    ],
  },
]

export const router = createBrowserRouter(routes)
