import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../core/state.ts';
import { isParleyError } from '../../errors.ts';
import type { ConversationRecord, Storage, TurnRecord } from '../../storage/port.ts';
import { advance, type EscalationRecord } from '../escalation.ts';
import type { PersonRecord } from '../people.ts';
import { createHandoffStores } from './handoff-stores.ts';
import type { HandoffStores } from './ports.ts';

/** The behaviour the hand-off stores show on every database; run from each database's test file. */
export function describeHandoffStoreConformance(name: string, open: () => Promise<Storage>): void {
  describe(`${name} hand-off stores`, () => {
    let storage: Storage;
    let stores: HandoffStores;

    beforeAll(async () => {
      storage = await open();
      stores = createHandoffStores(storage);
    });
    afterAll(async () => storage?.close());

    it('keeps people, refuses a taken username, and finds them by username', async () => {
      const p = person('ann');
      await stores.people.create(p);
      expect(await stores.people.byUsername('ann')).toEqual(p);
      const err = await stores.people.create({ ...p, id: randomUUID() }).catch((e: unknown) => e);
      expect(isParleyError(err) && err.code).toBe('PARLEY_ERR_CONFLICT');
      const changed = { ...p, role: 'supervisor' as const, queues: ['general'], updatedAt: '2025-03-02T00:00:00.000Z' };
      await stores.people.update(changed);
      expect(await stores.people.get(p.id)).toEqual(changed);
      expect((await stores.people.list()).map((x) => x.username)).toContain('ann');
    });

    it('keeps sessions until they expire or are deleted, and drops them with their person', async () => {
      const p = person('sess');
      await stores.people.create(p);
      const live = { tokenHash: randomUUID(), personId: p.id, createdAt: '2025-03-01T00:00:00.000Z', expiresAt: '2025-03-01T08:00:00.000Z' };
      const old = { ...live, tokenHash: randomUUID(), expiresAt: '2025-02-01T00:00:00.000Z' };
      await stores.people.createSession(live);
      await stores.people.createSession(old);
      expect(await stores.people.session(live.tokenHash)).toEqual(live);
      expect(await stores.people.deleteExpiredSessions('2025-03-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await stores.people.session(old.tokenHash)).toBeUndefined();
      await stores.people.remove(p.id);
      expect(await stores.people.session(live.tokenHash)).toBeUndefined();
    });

    it('stores a hand-off through its life cycle with every event, refusing a stale update', async () => {
      let r = escalation();
      await stores.escalations.create(r, { escalationId: r.id, seq: 1, kind: 'requested', at: r.requestedAt, agentId: null, queue: 'general', detail: { rule: 'r1' } });
      const steps = [
        { kind: 'queued', at: '2025-03-01T10:00:01.000Z' },
        { kind: 'offered', at: '2025-03-01T10:00:02.000Z', agentId: 'ann' },
        { kind: 'timed-out', at: '2025-03-01T10:00:32.000Z', agentId: 'ann' },
        { kind: 'offered', at: '2025-03-01T10:00:33.000Z', agentId: 'bob' },
        { kind: 'accepted', at: '2025-03-01T10:00:40.000Z', agentId: 'bob' },
        { kind: 'connected', at: '2025-03-01T10:00:40.000Z' },
      ] as const;
      for (const s of steps) {
        const next = advance(r, s);
        await stores.escalations.update(next.record, [next.event]);
        r = next.record;
      }
      const end = advance(r, { kind: 'ended', at: '2025-03-01T10:05:00.000Z', disposition: 'resolved', endReason: 'agent' });
      await stores.escalations.update(end.record, [end.event]);
      const stored = await stores.escalations.get(r.id);
      expect(stored).toEqual(end.record);
      expect(stored).toMatchObject({ status: 'ended', agentId: 'bob', disposition: 'resolved', acceptedAt: '2025-03-01T10:00:40.000Z', endedAt: '2025-03-01T10:05:00.000Z' });
      const events = await stores.escalations.events(r.id);
      expect(events.map((e) => [e.kind, e.agentId])).toEqual([
        ['requested', null],
        ['queued', null],
        ['offered', 'ann'],
        ['timed-out', 'ann'],
        ['offered', 'bob'],
        ['accepted', 'bob'],
        ['connected', 'bob'],
        ['ended', 'bob'],
      ]);
      expect(events[0]?.detail).toEqual({ rule: 'r1' });
      const stale = await stores.escalations.update(end.record, [{ ...end.event, seq: 99 }]).catch((e: unknown) => e);
      expect(isParleyError(stale) && stale.code).toBe('PARLEY_ERR_CONFLICT');
      expect(await stores.escalations.events(r.id)).toHaveLength(8);
    });

    it('lists hand-offs by conversation, status and time', async () => {
      const conversationId = randomUUID();
      const a = escalation({ conversationId, requestedAt: '2025-04-01T09:00:00.000Z' });
      const b = escalation({ conversationId, requestedAt: '2025-04-01T10:00:00.000Z', status: 'queued' });
      for (const e of [b, a]) await stores.escalations.create(e, { escalationId: e.id, seq: 1, kind: 'requested', at: e.requestedAt, agentId: null, queue: e.queue, detail: null });
      expect((await stores.escalations.forConversation(conversationId)).map((e) => e.id)).toEqual([a.id, b.id]);
      const queued = await stores.escalations.list({ statuses: ['queued'], from: '2025-04-01T00:00:00.000Z', to: '2025-04-02T00:00:00.000Z' });
      expect(queued.map((e) => e.id)).toEqual([b.id]);
    });

    it('appends to the audit log and reads it back newest first, per conversation', async () => {
      const conversationId = randomUUID();
      for (const [i, action] of ['offer.accept', 'message.send', 'conversation.end'].entries()) {
        await stores.audit.append({ id: randomUUID(), at: `2025-03-01T10:0${i}:00.000Z`, actor: 'p1', role: 'agent', action, conversationId, detail: { i } });
      }
      const log = await stores.audit.list({ conversationId });
      expect(log.map((e) => e.action)).toEqual(['conversation.end', 'message.send', 'offer.accept']);
      expect(log[0]).toMatchObject({ actor: 'p1', role: 'agent', detail: { i: 2 } });
    });

    it('records a webhook event once per id and tracks its delivery', async () => {
      const d = { connector: 'hook', eventId: randomUUID(), type: 'escalation.requested', payload: { a: 1 }, status: 'pending' as const, attempts: 0, createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-01T10:00:00.000Z' };
      expect(await stores.deliveries.claim(d)).toBe(true);
      expect(await stores.deliveries.claim({ ...d, payload: { a: 2 } })).toBe(false);
      expect((await stores.deliveries.pending('hook')).map((x) => x.eventId)).toContain(d.eventId);
      await stores.deliveries.mark('hook', d.eventId, 'delivered', 3, '2025-03-01T10:00:05.000Z');
      expect(await stores.deliveries.get('hook', d.eventId)).toMatchObject({ status: 'delivered', attempts: 3, payload: { a: 1 } });
    });

    it('keeps survey answers per conversation and bot, replacing them on a second save', async () => {
      const conversationId = randomUUID();
      await stores.surveys.save({ conversationId, botId: 'survey', answers: { score: 3 }, at: '2025-03-01T10:00:00.000Z' });
      await stores.surveys.save({ conversationId, botId: 'survey', answers: { score: 5, comment: 'great' }, at: '2025-03-01T10:01:00.000Z' });
      expect(await stores.surveys.forConversation(conversationId)).toEqual([{ conversationId, botId: 'survey', answers: { score: 5, comment: 'great' }, at: '2025-03-01T10:01:00.000Z' }]);
    });

    it('reads conversations of a period with the mean sentiment of customer turns', async () => {
      const c = conversation('2031-01-05T10:00:00.000Z');
      const other = conversation('2031-02-05T10:00:00.000Z');
      await storage.conversations.create(c, [turn(c.id, 1, 'customer', 0.5), turn(c.id, 2, 'bot', 0.9), turn(c.id, 3, 'customer', -0.1)]);
      await storage.conversations.create(other, []);
      const rows = await stores.kpis.conversations('2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: c.id, botId: 'bank', channel: 'chat', status: 'active', outcome: null, startedAt: c.startedAt });
      expect(rows[0]?.sentiment).toBeCloseTo(0.2, 6);
    });
  });
}

function person(username: string): PersonRecord {
  return {
    id: randomUUID(),
    username,
    displayName: username.toUpperCase(),
    role: 'agent',
    passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
    agentId: username,
    queues: [],
    createdAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  };
}

function escalation(extra: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    id: randomUUID(),
    conversationId: randomUUID(),
    botId: 'bank',
    channel: 'chat',
    queue: 'general',
    requestedQueue: 'general',
    rule: 'r1',
    status: 'requested',
    historyKey: randomUUID(),
    agentId: null,
    connector: null,
    context: { intent: 'talk_to_agent', entities: { accountNumber: '12345678' }, variables: { session: {} }, transferInfo: {}, reason: 'requested', sentiment: -0.25 },
    skills: ['cards'],
    language: 'en',
    disposition: null,
    endReason: null,
    requestedAt: '2025-03-01T10:00:00.000Z',
    queuedAt: null,
    offeredAt: null,
    acceptedAt: null,
    connectedAt: null,
    endedAt: null,
    eventCount: 1,
    ...extra,
  };
}

function conversation(startedAt: string): ConversationRecord {
  return {
    id: randomUUID(),
    botId: 'bank',
    channel: 'chat',
    status: 'active',
    outcome: null,
    customer: null,
    startedAt,
    updatedAt: startedAt,
    endedAt: null,
    historyKey: randomUUID(),
    state: initialState({}),
    turnCount: 0,
    version: 1,
  };
}

function turn(conversationId: string, seq: number, speaker: TurnRecord['speaker'], sentiment: number): TurnRecord {
  return { conversationId, seq, speaker, text: 'x', channel: 'chat', intent: null, confidence: null, entities: null, sentiment, at: '2031-01-05T10:00:00.000Z' };
}
