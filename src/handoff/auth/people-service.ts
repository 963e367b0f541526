import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ParleyError } from '../../errors.ts';
import type { PersonRecord, Role } from '../people.ts';
import type { PeopleStore } from '../store/ports.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

/** Who is calling: a signed-in person, or the holder of the API key (an administrator). */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  agentId: string | null;
  queues: string[];
  /** The session's token hash, to sign out; absent for the API key. */
  sessionHash?: string;
}

export const apiKeyPrincipal: Principal = { id: 'api-key', username: 'api-key', displayName: 'API key', role: 'admin', agentId: null, queues: [] };

export interface NewPerson {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  agentId?: string;
  queues?: string[];
}

export const defaultSessionTtlMs = 8 * 3_600_000;
export const minPasswordLength = 10;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** People, passwords and sessions: sign in with username and password, a bearer token that expires. */
export class PeopleService {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly store: PeopleStore,
    private readonly options: { sessionTtlMs?: number; now?: () => Date; throttle?: SignInThrottle } = {},
  ) {
    this.throttle = options.throttle ?? new SignInThrottle({ now: () => this.now().getTime() });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async create(input: NewPerson): Promise<PersonRecord> {
    checkPassword(input.password);
    const at = this.now().toISOString();
    const person: PersonRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      agentId: input.role === 'agent' ? (input.agentId ?? input.username) : (input.agentId ?? null),
      queues: input.queues ?? [],
      createdAt: at,
      updatedAt: at,
    };
    await this.store.create(person).catch((err: unknown) => {
      if (err instanceof ParleyError && err.code === 'PARLEY_ERR_CONFLICT') throw new ParleyError('PARLEY_ERR_CONFLICT', `the username '${input.username}' is taken`);
      throw err;
    });
    return person;
  }

  async update(id: string, patch: { password?: string; role?: Role; displayName?: string; agentId?: string | null; queues?: string[] }): Promise<PersonRecord> {
    const person = await this.store.get(id);
    if (!person) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no person '${id}'`);
    if (patch.password !== undefined) checkPassword(patch.password);
    const next: PersonRecord = {
      ...person,
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.agentId !== undefined ? { agentId: patch.agentId } : {}),
      ...(patch.queues !== undefined ? { queues: patch.queues } : {}),
      ...(patch.password !== undefined ? { passwordHash: await hashPassword(patch.password) } : {}),
      updatedAt: this.now().toISOString(),
    };
    await this.store.update(next);
    return next;
  }

  list(): Promise<PersonRecord[]> {
    return this.store.list();
  }

  get(id: string): Promise<PersonRecord | undefined> {
    return this.store.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
  }

  count(): Promise<number> {
    return this.store.count();
  }

  /**
   * A new session for the right password; PARLEY_ERR_UNAUTHORIZED otherwise (the same answer for an unknown
   * username). `from` is the client's address: failures are counted per username and per address, and too
   * many refuse further attempts for a while with PARLEY_ERR_TOO_MANY_ATTEMPTS (`SignInThrottle`).
   */
  async signIn(username: string, password: string, from?: string): Promise<{ token: string; expiresAt: string; person: PersonRecord }> {
    const wait = this.throttle.waitSeconds(username, from);
    if (wait > 0) {
      throw new ParleyError('PARLEY_ERR_TOO_MANY_ATTEMPTS', `too many failed sign-ins for this username or from this address; try again in ${wait} s`, {
        details: { retryAfterSeconds: wait },
      });
    }
    const person = await this.store.byUsername(username);
    const ok = await verifyPassword(password, person?.passwordHash ?? (await decoyHash()));
    if (!person || !ok) {
      this.throttle.failed(username, from);
      throw new ParleyError('PARLEY_ERR_UNAUTHORIZED', 'wrong username or password');
    }
    this.throttle.succeeded(username);
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + (this.options.sessionTtlMs ?? defaultSessionTtlMs)).toISOString();
    await this.store.createSession({ tokenHash: tokenHash(token), personId: person.id, createdAt: now.toISOString(), expiresAt });
    if (Math.random() < 0.05) await this.store.deleteExpiredSessions(now.toISOString());
    return { token, expiresAt, person };
  }

  /** The person a session token belongs to, while it has not expired. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const hash = tokenHash(token);
    const session = await this.store.session(hash);
    if (!session || Date.parse(session.expiresAt) <= this.now().getTime()) return undefined;
    const person = await this.store.get(session.personId);
    return person && { ...principalOf(person), sessionHash: hash };
  }

  async signOut(principal: Principal): Promise<void> {
    if (principal.sessionHash) await this.store.deleteSession(principal.sessionHash);
  }
}

export function principalOf(p: PersonRecord): Principal {
  return { id: p.id, username: p.username, displayName: p.displayName, role: p.role, agentId: p.agentId, queues: p.queues };
}

export function personView(p: PersonRecord) {
  return { id: p.id, username: p.username, displayName: p.displayName, role: p.role, agentId: p.agentId, queues: p.queues, createdAt: p.createdAt };
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength) {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `the password must have at least ${minPasswordLength} characters`);
  }
}
