import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../../../../errors.ts';
import { apiKeyPrincipal, type PeopleService, type Principal } from '../../../../handoff/auth/people-service.ts';
import type { Role } from '../../../../handoff/people.ts';

export const sessionCookie = 'parley_session';

const principals = new WeakMap<FastifyRequest, Principal>();

/** The `parley_session` cookie's value, if any. */
export function sessionFromCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === sessionCookie) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function isApiKey(given: string, apiKey: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(apiKey);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who is calling: the API key (an administrator), or a person by session token (bearer header or cookie; a
 * `?token=` query parameter only where asked, for WebSocket clients that cannot set headers).
 */
export async function resolvePrincipal(req: FastifyRequest, apiKey: string, people: PeopleService, options: { queryToken?: boolean } = {}): Promise<Principal | undefined> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (bearer !== undefined && isApiKey(bearer, apiKey)) return apiKeyPrincipal;
  const fromQuery = options.queryToken ? (req.query as { token?: string } | undefined)?.token : undefined;
  const token = bearer ?? sessionFromCookie(req.headers.cookie) ?? fromQuery;
  return token ? people.authenticate(token) : undefined;
}

/** The onRequest hook of the people-facing API: PARLEY_ERR_UNAUTHORIZED without a valid key or session. */
export function peopleAuth(apiKey: string, people: PeopleService) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const p = await resolvePrincipal(req, apiKey, people);
    if (!p) throw new ParleyError('PARLEY_ERR_UNAUTHORIZED', 'sign in (POST /api/auth/sign-in) or send the API key; the session may have expired');
    principals.set(req, p);
  };
}

/** The caller, checked to hold one of the roles. */
export function principal(req: FastifyRequest, ...allowed: Role[]): Principal {
  const p = principals.get(req);
  if (!p) throw new ParleyError('PARLEY_ERR_UNAUTHORIZED', 'not signed in');
  if (allowed.length && !allowed.includes(p.role)) {
    throw new ParleyError('PARLEY_ERR_FORBIDDEN', `${p.username} is ${article(p.role)} ${p.role}; this needs ${allowed.join(' or ')}`);
  }
  return p;
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}
