import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initialState } from '../core/state.ts';
import { openStorage } from './open-storage.ts';
import { VersionConflictError } from './port.ts';
import { conversationToRow, turnToRow } from './row-codec.ts';
import { SqliteConversationWrites } from './sqlite-conversation-writes.ts';
import { acquireSqliteDatabase } from './sqlite-database.ts';
import { testConversation, testTurn } from './test-records.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-sqlite-writes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const record = (id: string, version = 1) => testConversation({ id, botId: 'bank', historyKey: `history-${id}`, state: initialState({}), turnCount: version - 1, version });
const turn = (id: string, seq: number) => turnToRow(id, testTurn(id, seq, { text: `turn ${seq}`, at: '2025-03-01T10:00:01.000Z' }));

/** Turn writes on the migrated test database, with the connection they share. */
async function migratedWrites(options: ConstructorParameters<typeof SqliteConversationWrites>[2] = {}) {
  await (await openStorage({ dataDir: root })).close(); // migrated
  const sqlite = acquireSqliteDatabase(join(root, 'parley.db'));
  return { sqlite, writes: new SqliteConversationWrites(sqlite.db, sqlite.raw, options) };
}

describe('SqliteConversationWrites', () => {
  it('commits the writes of one loop turn together, each with its own outcome', async () => {
    let commits = 0;
    const { sqlite, writes } = await migratedWrites({ onCommit: () => commits++ });
    try {
      await writes.create(conversationToRow(record('a')), [turn('a', 1)]);
      expect(commits).toBe(1);
      const outcomes = await Promise.allSettled([
        writes.save(conversationToRow(record('a', 2)), [turn('a', 2)]),
        writes.create(conversationToRow(record('b')), [turn('b', 1)]),
        writes.save(conversationToRow(record('a', 2)), [turn('a', 3)]),
        writes.create(conversationToRow(record('b')), []),
        writes.save(conversationToRow(record('c', 2)), []),
      ]);
      expect(commits).toBe(2);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
      expect((outcomes[4] as PromiseRejectedResult).reason).toMatchObject({ code: 'PARLEY_ERR_CONVERSATION_NOT_FOUND' });
      expect(sqlite.raw.prepare('select conversation_id, seq from turns order by conversation_id, seq').all()).toEqual([
        { conversation_id: 'a', seq: 1 },
        { conversation_id: 'a', seq: 2 },
        { conversation_id: 'b', seq: 1 },
      ]);
      expect(sqlite.raw.prepare('select version from conversations where id = ?').get('a')).toEqual({ version: 2 });
    } finally {
      await writes.close();
      await sqlite.release();
    }
  });

  it('right after a commit, gathers the writes of the next loop turns into one commit; otherwise commits each turn', async () => {
    const file = join(root, 'parley.db');
    await (await openStorage({ dataDir: root })).close(); // migrated
    const sqlite = acquireSqliteDatabase(file);
    const nextLoopTurn = () => new Promise((resolve) => setImmediate(resolve));
    const commitsOf = async (gatherMs: number, prefix: string): Promise<number> => {
      let commits = 0;
      const writes = new SqliteConversationWrites(sqlite.db, sqlite.raw, { onCommit: () => commits++, gatherMs });
      try {
        await writes.create(conversationToRow(record(`${prefix}0`)), []);
        const saved: Array<Promise<void>> = [];
        for (let i = 1; i <= 3; i++) {
          saved.push(writes.create(conversationToRow(record(`${prefix}${i}`)), [turn(`${prefix}${i}`, 1)]));
          await nextLoopTurn();
        }
        await Promise.all(saved);
        return commits;
      } finally {
        await writes.close();
      }
    };
    try {
      // a window far longer than three loop turns: the three writes share the commit after the first
      expect(await commitsOf(500, 'gathered-')).toBe(2);
      expect(await commitsOf(0, 'single-')).toBe(4);
      expect(sqlite.raw.prepare("select count(*) as n from turns where conversation_id like 'gathered-%' or conversation_id like 'single-%'").get()).toEqual({ n: 6 });
    } finally {
      await sqlite.release();
    }
  });

  it('sets the status whenever the row may hold another, even when this writer last committed the same one', async () => {
    const { sqlite, writes } = await migratedWrites();
    const status = (id: string) => sqlite.raw.prepare('select status, version from conversations where id = ?').get(id);
    const as = (id: string, version: number, s: 'active' | 'escalated' | 'ended') => conversationToRow({ ...record(id, version), status: s });
    try {
      await writes.create(as('st', 1, 'active'), [turn('st', 1)]);
      await writes.save(as('st', 2, 'ended'), [turn('st', 2)]);
      expect(status('st')).toEqual({ status: 'ended', version: 2 });
      // undone (turn 2 exists): nothing of it may count as written
      await expect(writes.save(as('st', 3, 'escalated'), [turn('st', 2)])).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
      expect(status('st')).toEqual({ status: 'ended', version: 2 });
      // another process writes version 3 with another status
      sqlite.raw.prepare("update conversations set status = 'active', version = 3 where id = 'st'").run();
      await writes.save(as('st', 4, 'escalated'), [turn('st', 3)]);
      expect(status('st')).toEqual({ status: 'escalated', version: 4 });
      await writes.save(as('st', 5, 'escalated'), [turn('st', 4)]);
      expect(status('st')).toEqual({ status: 'escalated', version: 5 });
    } finally {
      await writes.close();
      await sqlite.release();
    }
  });

  it('holds its commits when asked (the checkpointer copying the end of the WAL): writes wait for the release, or for close', async () => {
    const { sqlite, writes } = await migratedWrites();
    const stored = (id: string) => sqlite.raw.prepare('select count(*) as n from conversations where id = ?').get(id);
    try {
      const release = await writes.hold();
      let settled = false;
      const held = writes.create(conversationToRow(record('held-1')), [turn('held-1', 1)]).then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      expect(stored('held-1')).toEqual({ n: 0 });
      release();
      await held;
      expect(stored('held-1')).toEqual({ n: 1 });

      await writes.hold(); // never released
      const atClose = writes.create(conversationToRow(record('held-2')), []);
      await writes.close();
      await atClose;
      expect(stored('held-2')).toEqual({ n: 1 });
    } finally {
      await writes.close();
      await sqlite.release();
    }
  });

  it('commits what was queued before it closes', async () => {
    const dir = mkdtempSync(join(root, 'closing-'));
    const storage = await openStorage({ dataDir: dir });
    const saved = Promise.all(Array.from({ length: 20 }, (_, i) => storage.conversations.create(record(`c${i}`), [])));
    await storage.close();
    await saved;
    const again = await openStorage({ dataDir: dir });
    try {
      expect(await again.conversations.list({ limit: 100 })).toHaveLength(20);
    } finally {
      await again.close();
    }
  });
});
