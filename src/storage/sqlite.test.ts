import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { initialState } from '../core/state.ts';
import { isParleyError } from '../errors.ts';
import { describeStorageConformance } from './conformance.ts';
import { openStorage } from './open-storage.ts';
import type { ConversationRecord } from './port.ts';
import { acquireSqliteDatabase } from './sqlite-database.ts';
import { testConversation } from './test-records.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-sqlite-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const conformanceDir = join(root, 'conformance');
describeStorageConformance('SQLite', (options = {}) => openStorage({ dataDir: conformanceDir, ...options }));

describe('opening SQLite storage', () => {
  it('creates the data directory and a parley.db in WAL mode', async () => {
    const dataDir = join(root, 'nested', 'data');
    const storage = await openStorage({ dataDir });
    await storage.close();
    const raw = new BetterSqlite3(join(dataDir, 'parley.db'), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('keeps temporary files, savepoint journals included, in memory', async () => {
    // a batch of turn writes keeps each write in a savepoint; past 64 KB SQLite would move that journal to a
    // file in /var/tmp, opened, written and closed on the event loop
    const sqlite = acquireSqliteDatabase(join(root, 'temp-store.db'));
    try {
      expect(sqlite.raw.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      await sqlite.release();
    }
  });

  it('opens the file a sqlite: URL names, and an in-memory database for sqlite::memory:', async () => {
    const file = join(root, 'by-url', 'chosen.db');
    for (const url of [`sqlite://${file}`, 'sqlite::memory:']) {
      const storage = await openStorage({ url });
      try {
        await storage.conversations.create(record('c1'), []);
        expect((await storage.conversations.get('c1'))?.id).toBe('c1');
      } finally {
        await storage.close();
      }
    }
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.prepare('select id from conversations').all()).toEqual([{ id: 'c1' }]);
    raw.close();
  });

  it('says what to do when the file is not a SQLite database', async () => {
    const dataDir = mkdtempSync(join(root, 'text-'));
    writeFileSync(join(dataDir, 'parley.db'), 'these are notes, not a database\n'.repeat(100));
    const error = await openStorage({ dataDir }).catch((reason: unknown) => reason);
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_STORAGE');
    expect((error as Error).message).toMatch(/is not a SQLite database: point the storage URL or data directory elsewhere/);
  });

  it('says what to do when the data directory cannot be created', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, '');
    const error = await openStorage({ dataDir: join(blocker, 'data') }).catch((reason: unknown) => reason);
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_STORAGE');
    expect((error as Error).message).toMatch(/cannot open the SQLite database .*a-file.*check that its directory can be created/);
  });

  it('waits for another process holding the write lock instead of failing', async () => {
    const dataDir = join(root, 'shared');
    const storage = await openStorage({ dataDir });
    try {
      await storage.conversations.create(record('c1'), []);
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const db = new (require('better-sqlite3'))(process.argv[1]);
           db.exec('begin immediate'); db.prepare("update conversations set status = 'escalated'").run();
           process.stdout.write('locked\\n');
           setTimeout(() => { db.exec('commit'); db.close(); }, 300);`,
          join(dataDir, 'parley.db'),
        ],
        { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => holder.on('exit', resolve));
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const started = performance.now();
      await storage.conversations.save({ ...record('c1'), version: 2, status: 'ended' }, []);
      expect(performance.now() - started).toBeGreaterThan(200);
      expect(await exited).toBe(0);
      expect((await storage.conversations.get('c1'))?.status).toBe('ended');
    } finally {
      await storage.close();
    }
  });
});

describe('SQLite conversation writes', () => {
  it('commits a turn written while another transaction is open on its own, untouched by that rollback', async () => {
    const storage = await openStorage({ dataDir: mkdtempSync(join(root, 'interleaved-')) });
    try {
      await storage.conversations.create(record('kept'), []);
      let saved: Promise<void> | undefined;
      const rolledBack = storage.kysely
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('user_variables').values({ bot_id: 'bot', user_id: 'u', variables: '{}', updated_at: '2025-03-01T10:00:00.000Z' }).execute();
          // the save is queued while this transaction holds the connection, and waits for it
          saved = storage.conversations.save({ ...record('kept'), version: 2, status: 'ended' }, []);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('the other work failed');
        })
        .catch((error: unknown) => error);
      expect(await rolledBack).toBeInstanceOf(Error);
      await saved;
      expect((await storage.conversations.get('kept'))?.status).toBe('ended');
      expect(await storage.users.get('bot', 'u')).toEqual({});
    } finally {
      await storage.close();
    }
  });
});

function record(id: string): ConversationRecord {
  return testConversation({ id, botId: 'bot', historyKey: `history-${id}`, state: initialState({}) });
}
