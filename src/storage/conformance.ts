import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState, type ConversationState } from '../core/state.ts';
import { isParleyError, type ErrorCode } from '../errors.ts';
import { migrations } from './migrations/index.ts';
import { VersionConflictError, type ConversationRecord, type Storage } from './port.ts';
import type { StorageLogger } from './storage-logger.ts';
import { testConversation as conversation, testTurn as turn } from './test-records.ts';

/** Opens the test's database: every call opens the SAME database, which is fresh (never migrated) for the first call. */
export type OpenTestStorage = (options?: { logger?: StorageLogger }) => Promise<Storage>;

/** The behaviour every Storage implementation must show; run it from each implementation's test file. */
export function describeStorageConformance(name: string, open: OpenTestStorage): void {
  describe(`${name} storage conformance`, () => {
    let storage: Storage;
    const firstOpenLog = new CapturingLogger();

    beforeAll(async () => {
      storage = await open({ logger: firstOpenLog });
    });
    afterAll(async () => {
      await storage.close();
    });

    it('migrates a fresh database to the latest schema when it is opened', () => {
      expect(firstOpenLog.migrationsApplied()).toEqual(migrations.map((migration) => migration.name));
    });

    it('opens the same database again without running a migration, and sees its data', async () => {
      const record = conversation();
      await storage.conversations.create(record, []);
      const log = new CapturingLogger();
      const again = await open({ logger: log });
      try {
        expect(log.migrationsApplied()).toEqual([]);
        expect(await again.conversations.get(record.id)).toEqual(record);
      } finally {
        await again.close();
      }
    });

    it('creates a conversation with its first turns and reads both back', async () => {
      const record = conversation({ customer: '+15551234567' });
      const turns = [turn(record.id, 1, { speaker: 'bot', text: 'Hello, how can I help?' }), turn(record.id, 2)];
      await storage.conversations.create(record, turns);
      expect(await storage.conversations.get(record.id)).toEqual(record);
      expect(await storage.conversations.turns(record.id)).toEqual(turns);
    });

    it('answers undefined and no turns for a conversation that does not exist', async () => {
      expect(await storage.conversations.get(randomUUID())).toBeUndefined();
      expect(await storage.conversations.getByHistoryKey(randomUUID())).toBeUndefined();
      expect(await storage.conversations.turns(randomUUID())).toEqual([]);
    });

    it('saves a new version with more turns, keeping the transcript in order', async () => {
      const record = conversation({ turnCount: 1 });
      await storage.conversations.create(record, [turn(record.id, 1)]);
      const second = { ...record, version: 2, turnCount: 3, updatedAt: '2025-03-01T10:00:05.000Z', state: { ...record.state, turns: 1 } };
      await storage.conversations.save(second, [turn(record.id, 2), turn(record.id, 3, { speaker: 'bot' })]);
      const ended: ConversationRecord = {
        ...second,
        version: 3,
        turnCount: 4,
        status: 'ended',
        outcome: 'resolved',
        endedAt: '2025-03-01T10:01:00.000Z',
        updatedAt: '2025-03-01T10:01:00.000Z',
        state: { ...second.state, status: 'ended', outcome: 'resolved' },
      };
      await storage.conversations.save(ended, [turn(record.id, 4, { speaker: 'system', text: 'conversation ended' })]);
      expect(await storage.conversations.get(record.id)).toEqual(ended);
      expect((await storage.conversations.turns(record.id)).map((t) => [t.seq, t.speaker])).toEqual([
        [1, 'customer'],
        [2, 'customer'],
        [3, 'bot'],
        [4, 'system'],
      ]);
    });

    it('keeps the fields fixed at creation when a save carries other values', async () => {
      const record = conversation();
      await storage.conversations.create(record, []);
      const changed = { ...record, version: 2, botId: 'other-bot', channel: 'voice' as const, historyKey: randomUUID() };
      await storage.conversations.save({ ...changed, startedAt: '2030-01-01T00:00:00.000Z' }, []);
      expect(await storage.conversations.get(record.id)).toEqual({ ...record, version: 2 });
      expect((await storage.conversations.getByHistoryKey(record.historyKey))?.id).toBe(record.id);
      expect(await storage.conversations.getByHistoryKey(changed.historyKey)).toBeUndefined();
    });

    it('refuses a save made from a stale version, storing neither the record nor its turns', async () => {
      const record = conversation();
      await storage.conversations.create(record, [turn(record.id, 1)]);
      const winner = { ...record, version: 2, state: { ...record.state, turns: 1 } };
      const loser = { ...record, version: 2, status: 'escalated' as const, state: { ...record.state, turns: 99 } };
      await storage.conversations.save(winner, [turn(record.id, 2, { text: 'winner' })]);
      await expect(storage.conversations.save(loser, [turn(record.id, 3, { text: 'loser' })])).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await storage.conversations.get(record.id)).toEqual(winner);
      expect((await storage.conversations.turns(record.id)).map((t) => t.text)).toEqual(['I want to check my balance', 'winner']);
    });

    it('lets exactly one of two concurrent saves of the same version win', async () => {
      const record = conversation();
      await storage.conversations.create(record, []);
      const other = await open();
      try {
        const results = await Promise.allSettled([
          storage.conversations.save({ ...record, version: 2, status: 'ended' }, [turn(record.id, 1, { text: 'first' })]),
          other.conversations.save({ ...record, version: 2, status: 'escalated' }, [turn(record.id, 1, { text: 'second' })]),
        ]);
        const fulfilled = results.filter((result) => result.status === 'fulfilled');
        const rejected = results.filter((result) => result.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0]?.reason).toBeInstanceOf(VersionConflictError);
        const stored = await storage.conversations.get(record.id);
        const storedTurns = await storage.conversations.turns(record.id);
        expect(storedTurns).toHaveLength(1);
        expect(storedTurns[0]?.text).toBe(stored?.status === 'ended' ? 'first' : 'second');
      } finally {
        await other.close();
      }
    });

    it('saves many conversations at once as if each were alone: only the stale and the broken save fail', async () => {
      const records = Array.from({ length: 12 }, () => conversation());
      await Promise.all(records.map((r) => storage.conversations.create(r, [turn(r.id, 1)])));
      const results = await Promise.allSettled(
        records.map((r, i) => {
          if (i === 3) return storage.conversations.save({ ...r, version: 3 }, [turn(r.id, 2)]);
          if (i === 7) return storage.conversations.save({ ...r, version: 2 }, [turn(r.id, 2), turn(r.id, 1)]);
          return storage.conversations.save({ ...r, version: 2, status: 'ended' }, [turn(r.id, 2, { text: `answer ${i}` })]);
        }),
      );
      expect(results.map((r) => r.status)).toEqual(records.map((_, i) => (i === 3 || i === 7 ? 'rejected' : 'fulfilled')));
      expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      const broken: unknown = (results[7] as PromiseRejectedResult).reason;
      expect(isParleyError(broken) && broken.code).toBe('PARLEY_ERR_CONFLICT');
      for (const [i, r] of records.entries()) {
        const failed = i === 3 || i === 7;
        expect((await storage.conversations.get(r.id))?.status).toBe(failed ? 'active' : 'ended');
        expect((await storage.conversations.turns(r.id)).map((t) => t.text)).toEqual(failed ? [turn(r.id, 1).text] : [turn(r.id, 1).text, `answer ${i}`]);
      }
    });

    it('rolls the whole save back when a turn cannot be stored', async () => {
      const record = conversation();
      await storage.conversations.create(record, [turn(record.id, 1)]);
      const next = { ...record, version: 2, status: 'ended' as const };
      await expectParleyError(storage.conversations.save(next, [turn(record.id, 2), turn(record.id, 1)]), 'PARLEY_ERR_CONFLICT');
      expect(await storage.conversations.get(record.id)).toEqual(record);
      expect(await storage.conversations.turns(record.id)).toHaveLength(1);
    });

    it('reports saving a conversation that was never created as not found', async () => {
      const record = conversation({ version: 2 });
      await expectParleyError(storage.conversations.save(record, []), 'PARLEY_ERR_CONVERSATION_NOT_FOUND');
    });

    it('refuses a second conversation with the same id or the same history key', async () => {
      const record = conversation();
      await storage.conversations.create(record, []);
      await expectParleyError(storage.conversations.create({ ...record, historyKey: randomUUID() }, []), 'PARLEY_ERR_CONFLICT');
      await expectParleyError(storage.conversations.create({ ...record, id: randomUUID() }, []), 'PARLEY_ERR_CONFLICT');
    });

    it('finds a conversation by its history key', async () => {
      const record = conversation();
      await storage.conversations.create(record, []);
      await storage.conversations.create(conversation(), []);
      expect(await storage.conversations.getByHistoryKey(record.historyKey)).toEqual(record);
    });

    it('round-trips nested state, entities and text in any script, unchanged', async () => {
      const state: ConversationState = {
        ...initialState({
          session: {
            greeting: 'Grüß Gott 👋 — 你好 — مرحبا — नमस्ते — e\u0301',
            quotes: `it's "quoted" \\ back\\slashed \n newline \t tab`,
            numbers: [0, -1, 3.141592653589793, 1e-7, Number.MAX_SAFE_INTEGER],
            flags: { yes: true, no: false, nothing: null },
            deep: { a: { b: { c: { d: [[1, [2, [3]]], { e: 'ünïcödé' }] } } } },
            empty: { list: [], object: {} },
          },
          user: { name: 'Zoë', tier: 'gold' },
        }),
        stack: [{ dialog: 'balance', node: 'ask-account', attempts: { noInput: 1, noMatch: 2 } }],
        waiting: { for: 'input' },
        lastIntent: { name: 'check_balance', confidence: 0.87 },
        sensitive: ['pin'],
      };
      const record = conversation({ state, customer: 'chat-user-ø' });
      const turns = [
        turn(record.id, 1, {
          text: 'Überweisung von 50 € an Zoë 🙂 «bitte»',
          intent: 'transfer',
          confidence: 0.9312345678,
          sentiment: -0.25,
          entities: { amount: { value: 50, currency: 'EUR' }, payee: 'Zoë', dates: ['2025-03-01'] },
        }),
      ];
      await storage.conversations.create(record, turns);
      expect(await storage.conversations.get(record.id)).toEqual(record);
      expect(await storage.conversations.turns(record.id)).toEqual(turns);
    });

    it('stores NUL characters and broken surrogates as U+FFFD instead of failing', async () => {
      const record = conversation({ state: { ...initialState({ session: { note: 'a\u0000b\uD800c' } }) } });
      await storage.conversations.create(record, [turn(record.id, 1, { text: 'x\u0000y\uDC00z 😀', entities: { ['k\u0000']: 'v\uD83D' } })]);
      const stored = await storage.conversations.get(record.id);
      expect(stored?.state.vars.session).toEqual({ note: 'a\uFFFDb\uFFFDc' });
      const [storedTurn] = await storage.conversations.turns(record.id);
      expect(storedTurn?.text).toBe('x\uFFFDy\uFFFDz 😀');
      expect(storedTurn?.entities).toEqual({ ['k\uFFFD']: 'v\uFFFD' });
    });

    it('keeps timestamps as instants, returned in UTC ISO 8601 form', async () => {
      const record = conversation({ startedAt: '2025-03-01T10:00:00+02:00', updatedAt: '2025-03-01T08:00:01.5Z', endedAt: '2025-03-01T08:30:00.250Z' });
      await storage.conversations.create(record, [turn(record.id, 1, { at: '2025-03-01T03:00:00.123-05:00' })]);
      const stored = await storage.conversations.get(record.id);
      expect(stored?.startedAt).toBe('2025-03-01T08:00:00.000Z');
      expect(stored?.updatedAt).toBe('2025-03-01T08:00:01.500Z');
      expect(stored?.endedAt).toBe('2025-03-01T08:30:00.250Z');
      expect((await storage.conversations.turns(record.id))[0]?.at).toBe('2025-03-01T08:00:00.123Z');
      await expectParleyError(storage.conversations.create(conversation({ startedAt: 'yesterday-ish' }), []), 'PARLEY_ERR_BAD_REQUEST');
    });

    it('lists newest first by start time then id, filtered by bot, channel and status', async () => {
      const botId = `bot-${randomUUID()}`;
      const made = [
        conversation({ botId, id: 'c1', channel: 'chat', status: 'active', startedAt: '2025-03-01T09:00:00.000Z' }),
        // Later than c1 though its text sorts earlier: the order is by instant.
        conversation({ botId, id: 'c2', channel: 'voice', status: 'ended', startedAt: '2025-03-01T10:30:00+02:00' }),
        conversation({ botId, id: 'c3', channel: 'chat', status: 'escalated', startedAt: '2025-03-01T11:00:00.000Z' }),
        conversation({ botId, id: 'c4', channel: 'ivr', status: 'active', startedAt: '2025-03-01T11:00:00.000Z' }),
        conversation({ botId, id: 'c5', channel: 'chat', status: 'active', startedAt: '2025-03-02T00:00:00.000Z' }),
      ].map((record) => ({ ...record, id: `${botId}-${record.id}` }));
      for (const record of made) await storage.conversations.create(record, []);
      await storage.conversations.create(conversation({ startedAt: '2025-03-05T00:00:00.000Z' }), []);

      const ids = async (filter: Parameters<Storage['conversations']['list']>[0]): Promise<string[]> =>
        (await storage.conversations.list({ botId, ...filter })).map((record) => record.id.slice(botId.length + 1));
      expect(await ids({})).toEqual(['c5', 'c4', 'c3', 'c1', 'c2']);
      expect(await ids({ channel: 'chat' })).toEqual(['c5', 'c3', 'c1']);
      expect(await ids({ status: 'active' })).toEqual(['c5', 'c4', 'c1']);
      expect(await ids({ channel: 'chat', status: 'active' })).toEqual(['c5', 'c1']);
      expect(await ids({ limit: 2 })).toEqual(['c5', 'c4']);
      expect(await storage.conversations.list({ botId: `bot-${randomUUID()}` })).toEqual([]);
      expect(await ids({ limit: 0 })).toEqual(['c5']);

      const everyBot = await storage.conversations.list({ limit: 500 });
      const starts = everyBot.map((record) => Date.parse(record.startedAt));
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
      expect(everyBot.map((record) => record.id)).toEqual(expect.arrayContaining(made.map((record) => record.id)));
      expect((await storage.conversations.list({ status: 'escalated', limit: 500 })).every((r) => r.status === 'escalated')).toBe(true);
      expect((await storage.conversations.list({ channel: 'ivr', limit: 500 })).every((r) => r.channel === 'ivr')).toBe(true);
    });

    it("finds a bot's active conversations idle since an instant, the longest idle first", async () => {
      const botId = `bot-${randomUUID()}`;
      const made = [
        conversation({ botId, id: 'quiet', status: 'active', updatedAt: '2025-03-01T09:00:00.000Z' }),
        // Updated earlier than 'quiet' though its text sorts later: the order is by instant.
        conversation({ botId, id: 'quieter', status: 'active', updatedAt: '2025-03-01T10:30:00+02:00' }),
        conversation({ botId, id: 'recent', status: 'active', updatedAt: '2025-03-01T09:59:59.999Z' }),
        conversation({ botId, id: 'ended', status: 'ended', updatedAt: '2025-03-01T08:00:00.000Z' }),
        conversation({ botId, id: 'with-agent', status: 'escalated', updatedAt: '2025-03-01T08:00:00.000Z' }),
        conversation({ botId, id: 'boundary', status: 'active', updatedAt: '2025-03-01T09:30:00.000Z' }),
      ].map((record) => ({ ...record, id: `${botId}-${record.id}` }));
      for (const record of made) await storage.conversations.create(record, []);
      await storage.conversations.create(conversation({ botId: `${botId}-other`, status: 'active', updatedAt: '2025-03-01T08:00:00.000Z' }), []);

      const idle = async (before: string, limit?: number): Promise<string[]> =>
        (await storage.conversations.idle({ botId, before, ...(limit === undefined ? {} : { limit }) })).map((r) => r.id.slice(botId.length + 1));
      expect(await idle('2025-03-01T09:30:00.000Z')).toEqual(['quieter', 'quiet']);
      expect(await idle('2025-03-01T11:30:00+01:00')).toEqual(['quieter', 'quiet', 'boundary', 'recent']);
      expect(await idle('2025-03-01T09:30:00.000Z', 1)).toEqual(['quieter']);
      expect(await storage.conversations.idle({ botId, before: '2025-03-01T09:30:00.000Z' })).toEqual([
        { id: `${botId}-quieter`, updatedAt: '2025-03-01T08:30:00.000Z' },
        { id: `${botId}-quiet`, updatedAt: '2025-03-01T09:00:00.000Z' },
      ]);
      // Once saved as ended, a conversation is no longer idle.
      const quiet = made[0];
      if (!quiet) throw new Error('no conversation');
      await storage.conversations.save({ ...quiet, status: 'ended', outcome: 'abandoned', endedAt: '2025-03-01T09:40:00.000Z', updatedAt: '2025-03-01T09:40:00.000Z', version: quiet.version + 1 }, []);
      expect(await idle('2025-03-01T11:30:00+01:00')).toEqual(['quieter', 'boundary', 'recent']);
      await expectParleyError(storage.conversations.idle({ botId, before: 'an hour ago' }), 'PARLEY_ERR_BAD_REQUEST');
    });

    it('lists 50 conversations unless asked for more, and never more than 500', async () => {
      const botId = `bot-${randomUUID()}`;
      const records = Array.from({ length: 501 }, (_, i) =>
        conversation({ botId, startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() }),
      );
      for (let start = 0; start < records.length; start += 50) {
        await Promise.all(records.slice(start, start + 50).map((record) => storage.conversations.create(record, [])));
      }
      const page = await storage.conversations.list({ botId });
      expect(page).toHaveLength(50);
      expect(page[0]?.startedAt).toBe('2025-01-01T00:08:20.000Z');
      expect(await storage.conversations.list({ botId, limit: 120 })).toHaveLength(120);
      expect(await storage.conversations.list({ botId, limit: 10_000 })).toHaveLength(500);
    });

    it('keeps user variables per bot and user, replacing them on each set', async () => {
      const botId = `bot-${randomUUID()}`;
      expect(await storage.users.get(botId, 'alice')).toEqual({});
      await storage.users.set(botId, 'alice', { name: 'Alice', visits: 1, prefs: { language: 'fr-CA', channels: ['chat', 'voice'] } });
      await storage.users.set(botId, 'bob', { name: 'Bob' });
      await storage.users.set(`${botId}-other`, 'alice', { name: 'Alice elsewhere' });
      await storage.users.set(botId, 'alice', { name: 'Alice', visits: 2 });
      expect(await storage.users.get(botId, 'alice')).toEqual({ name: 'Alice', visits: 2 });
      expect(await storage.users.get(botId, 'bob')).toEqual({ name: 'Bob' });
      expect(await storage.users.get(`${botId}-other`, 'alice')).toEqual({ name: 'Alice elsewhere' });
    });

    it('refuses calls once closed, and closing twice is harmless', async () => {
      const other = await open();
      await other.close();
      await expectParleyError(other.conversations.get(randomUUID()), 'PARLEY_ERR_STORAGE');
      await expectParleyError(other.users.set('bot', 'user', {}), 'PARLEY_ERR_STORAGE');
      await other.close();
    });
  });
}

class CapturingLogger implements StorageLogger {
  readonly entries: { obj: object; msg: string }[] = [];

  info(obj: object, msg: string): void {
    this.entries.push({ obj, msg });
  }

  warn(obj: object, msg: string): void {
    this.entries.push({ obj, msg });
  }

  migrationsApplied(): string[] {
    return this.entries.flatMap((entry) => ('migrations' in entry.obj ? (entry.obj.migrations as string[]) : []));
  }
}

async function expectParleyError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isParleyError(error) ? error.code : error).toBe(code);
}

