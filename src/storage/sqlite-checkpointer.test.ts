import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';

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
