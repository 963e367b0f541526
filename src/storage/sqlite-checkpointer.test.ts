import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStorage } from './open-storage.ts';
import { conversationToRow, turnToRow } from './row-codec.ts';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';
import { SqliteConversationWrites } from './sqlite-conversation-writes.ts';
import { acquireSqliteDatabase } from './sqlite-database.ts';
import { testConversation, testTurn } from './test-records.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-checkpointer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function walDatabase(file: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.exec('create table notes (body text)');
  return raw;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

describe('SqliteCheckpointer', () => {
  it('takes the checkpoints over once busy: the serving connection stops checkpointing, the thread copies the WAL into the file', async () => {
    const file = join(root, 'busy.db');
    const raw = walDatabase(file);
    const checkpointer = new SqliteCheckpointer(file, raw, { startAfterCommits: 3, intervalMs: 20 });
    try {
      checkpointer.noteCommit();
      checkpointer.noteCommit();
      expect(checkpointer.running).toBe(false);
      checkpointer.noteCommit();
      expect(checkpointer.running).toBe(true);
      await until(() => raw.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the thread to take over');
      const before = statSync(file).size;
      const insert = raw.prepare('insert into notes values (?)');
      raw.transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000));
      })();
      // only the thread can have moved these pages from the WAL into the database file
      await until(() => statSync(file).size > before + 1_000_000, 'the WAL to be checkpointed');
    } finally {
      await checkpointer.close();
      raw.close();
    }
  });

  it('keeps the WAL short under a steady stream of turn commits: the writes wait while the thread copies its end', async () => {
    const dir = mkdtempSync(join(root, 'steady-'));
    await (await openStorage({ dataDir: dir })).close(); // migrated
    const file = join(dir, 'parley.db');
    // 256 frames are 1 MB of WAL with 4 KB pages
    const sqlite = acquireSqliteDatabase(file, undefined, { startAfterCommits: 1, intervalMs: 10, restartFrames: 256 });
    const checkpointer = sqlite.checkpointer!;
    const writes = new SqliteConversationWrites(sqlite.db, sqlite.raw, { onCommit: () => checkpointer.noteCommit() });
    const removeGate = checkpointer.addGate(writes);
    const row = (id: string, version: number) => conversationToRow(testConversation({ id, turnCount: version - 1, version }));
    const text = 'when are you open on saturday '.repeat(8);
    let longest = 0;
    let turns = 0;
    const watch = setInterval(() => (longest = Math.max(longest, statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0)), 5);
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `steady-${i}`);
      await Promise.all(ids.map((id) => writes.create(row(id, 1), [])));
      const end = performance.now() + 1500;
      await Promise.all(
        ids.map(async (id) => {
          for (let version = 2; performance.now() < end; version++) {
            await writes.save(row(id, version), [turnToRow(id, testTurn(id, version, { text }))]);
            turns++;
          }
        }),
      );
    } finally {
      clearInterval(watch);
      removeGate();
      await writes.close();
      await sqlite.release();
    }
    // every turn adds at least one 4 KB frame: a WAL that only grew would be that long
    expect(turns * 4096).toBeGreaterThan(40_000_000);
    expect(longest).toBeLessThan(16_000_000);
    expect(checkpointer.restarts).toBeGreaterThan(0);
  });

  it('turns automatic checkpoints back on and says so when the thread fails', async () => {
    const raw = walDatabase(join(root, 'serving.db'));
    raw.pragma('wal_autocheckpoint = 0');
    const logger = { info: vi.fn(), warn: vi.fn() };
    const checkpointer = new SqliteCheckpointer(join(root, 'missing', 'gone.db'), raw, { startAfterCommits: 1, logger });
    try {
      checkpointer.noteCommit();
      await until(() => logger.warn.mock.calls.length > 0, 'the failure to be reported');
      expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(logger.warn.mock.calls[0]?.[1]).toMatch(/the serving connection checkpoints again/);
    } finally {
      await checkpointer.close();
      raw.close();
    }
  });
});
