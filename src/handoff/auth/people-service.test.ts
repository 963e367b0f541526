import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../errors.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { Storage } from '../../storage/port.ts';
import type { EscalationEvent, EscalationRecord } from '../escalation.ts';
import { createHandoffStores } from '../store/handoff-stores.ts';
import { maySeeBotConversation, maySeeHandoff } from './access.ts';
import { PeopleService, type Principal } from './people-service.ts';

let storage: Storage;
let clock = new Date('2025-03-01T08:00:00.000Z');
let people: PeopleService;

beforeAll(async () => {
  storage = await openStorage({ url: 'sqlite::memory:' });
  people = new PeopleService(createHandoffStores(storage).people, { sessionTtlMs: 3_600_000, now: () => clock });
});
afterAll(async () => storage?.close());

const error = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('people and sessions', () => {
  it('signs in with the right password, for a session that expires', async () => {
    await people.create({ username: 'ann', password: 'ann-secret-password', role: 'agent' });
    const { token, expiresAt, person } = await people.signIn('ann', 'ann-secret-password');
    expect(person).toMatchObject({ username: 'ann', role: 'agent', agentId: 'ann' });
    expect(expiresAt).toBe('2025-03-01T09:00:00.000Z');
    expect(await people.authenticate(token)).toMatchObject({ username: 'ann', role: 'agent' });
    clock = new Date('2025-03-01T09:00:00.000Z');
    expect(await people.authenticate(token)).toBeUndefined();
  });

  it('refuses a wrong password, an unknown user and a short password; signing out ends the session', async () => {
    for (const attempt of [people.signIn('ann', 'wrong-password-123'), people.signIn('nobody', 'ann-secret-password')]) {
      const e = await error(attempt);
      expect(isParleyError(e) && e.code).toBe('PARLEY_ERR_UNAUTHORIZED');
      expect((e as Error).message).toBe('wrong username or password');
    }
    expect(isParleyError(await error(people.create({ username: 'bob', password: 'short', role: 'agent' })))).toBe(true);
    const { token } = await people.signIn('ann', 'ann-secret-password');
    const p = await people.authenticate(token);
    await people.signOut(p as Principal);
    expect(await people.authenticate(token)).toBeUndefined();
    const taken = await error(people.create({ username: 'ann', password: 'another-long-password', role: 'admin' }));
    expect((taken as Error).message).toContain("'ann' is taken");
  });

  it('changes a password: the old one stops working', async () => {
    const sue = await people.create({ username: 'sue', password: 'first-password-1', role: 'supervisor', queues: ['general'] });
    await people.update(sue.id, { password: 'second-password-2' });
    expect(isParleyError(await error(people.signIn('sue', 'first-password-1')))).toBe(true);
    expect((await people.signIn('sue', 'second-password-2')).person.queues).toEqual(['general']);
  });
});

describe('who may see a handed-over conversation', () => {
  const who = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({ id: role, username: role, displayName: role, role, agentId: null, queues: [], ...extra });
  const escalations = [{ queue: 'cards' } as EscalationRecord];
  const events = [
    { kind: 'offered', agentId: 'ann', queue: 'general' },
    { kind: 'transferred', agentId: null, queue: 'cards' },
  ] as EscalationEvent[];

  it('lets agents see what was offered to them, supervisors their queues, administrators everything', () => {
    expect(maySeeHandoff(who('agent', { agentId: 'ann' }), escalations, events)).toBe(true);
    expect(maySeeHandoff(who('agent', { agentId: 'bob' }), escalations, events)).toBe(false);
    expect(maySeeHandoff(who('supervisor', { queues: ['general'] }), escalations, events)).toBe(true);
    expect(maySeeHandoff(who('supervisor', { queues: ['payments'] }), escalations, events)).toBe(false);
    expect(maySeeHandoff(who('admin'), escalations, events)).toBe(true);
    expect(maySeeBotConversation(who('supervisor', { queues: ['general'] }), ['general'])).toBe(true);
    expect(maySeeBotConversation(who('agent', { agentId: 'ann' }), ['general'])).toBe(false);
  });
});
