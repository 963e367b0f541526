import { createElement as h, StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { AgentDesktop } from './agent-desktop.ts';
import { api, ApiError, type Person } from './api.ts';
import { SignIn } from './sign-in.ts';
import { SupervisorView } from './supervisor-view.ts';

/** `/agent` shows the agent desktop, `/supervisor` the supervisor view; both after signing in. */
function App(): ReactNode {
  const supervisor = location.pathname.startsWith('/supervisor');
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  useEffect(() => {
    api<Person>('GET', '/api/auth/me')
      .then(setPerson)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setPerson(null);
        else setPerson(null);
      });
  }, []);
  const signOut = () => {
    api('POST', '/api/auth/sign-out')
      .catch(() => undefined)
      .finally(() => setPerson(null));
  };
  if (person === undefined) return h('p', null, 'Loading…');
  if (person === null) return h(SignIn, { title: supervisor ? 'Parley supervisor view' : 'Parley agent desktop', onSignedIn: setPerson });
  if (supervisor) {
    if (person.role === 'agent') return h('p', { role: 'alert' }, 'The supervisor view is for supervisors and administrators. ', h('a', { href: '/agent' }, 'Open the agent desktop'));
    return h(SupervisorView, { person, onSignOut: signOut });
  }
  if (person.agentId === null) return h('p', { role: 'alert' }, `${person.displayName} has no agent profile. `, h('a', { href: '/supervisor' }, 'Open the supervisor view'));
  return h(AgentDesktop, { person, onSignOut: signOut });
}

const root = document.getElementById('root');
if (root) createRoot(root).render(h(StrictMode, null, h(App)));
