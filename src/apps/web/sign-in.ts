import { createElement as h, useState, type FormEvent, type ReactNode } from 'react';
import { api, type Person } from './api.ts';

/** The sign-in form; on success the page carries the session cookie. */
export function SignIn(props: { title: string; onSignedIn: (p: Person) => void }): ReactNode {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api<{ person: Person }>('POST', '/api/auth/sign-in', { username, password })
      .then((r) => props.onSignedIn(r.person))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return h(
    'main',
    { className: 'sign-in' },
    h('h1', null, props.title),
    h(
      'form',
      { onSubmit: submit, 'aria-label': 'Sign in' },
      h('label', null, 'Username', h('input', { name: 'username', autoComplete: 'username', value: username, onChange: (e) => setUsername(e.target.value), required: true, autoFocus: true })),
      h('label', null, 'Password', h('input', { name: 'password', type: 'password', autoComplete: 'current-password', value: password, onChange: (e) => setPassword(e.target.value), required: true })),
      h('button', { type: 'submit', disabled: busy }, busy ? 'Signing in…' : 'Sign in'),
      error ? h('p', { role: 'alert', className: 'error' }, error) : null,
    ),
  );
}
