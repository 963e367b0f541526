/**
 * Persisted turns per second: one `save` (the record plus one turn) per chat turn, as the chat channel does.
 * Run: `node --import ./bin/typescript.js bench/storage-save.ts [postgres-url]` (SQLite in a temp dir without an argument;
 * on PostgreSQL, a scratch schema that is dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { initialState } from '../src/core/state.ts';
import { openStorage } from '../src/storage/open-storage.ts';
import type { ConversationRecord, Storage } from '../src/storage/port.ts';

const savesPerConversation = 20;
const durationMs = 3000;

async function main(): Promise<void> {
  const url = process.argv[2];
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const schema = `parley_bench_${process.pid}`;
  const admin = url === undefined ? undefined : new pg.Client({ connectionString: url });
  let storageUrl: string | undefined;
  if (admin !== undefined && url !== undefined) {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const scratch = new URL(url);
    scratch.searchParams.set('options', `-c search_path=${schema}`);
    storageUrl = scratch.toString();
  }
  const storage = await openStorage(storageUrl === undefined ? { dataDir } : { url: storageUrl });
  try {
    await run(storage, 1, 500); // warm-up
    for (const concurrency of [1, 16, 50]) {
      const { saves, elapsedMs } = await run(storage, concurrency, durationMs);
      console.log(
        `${storage.kind}: ${Math.round((saves / elapsedMs) * 1000)} saves/s (1 turn each), ` +
          `${concurrency} conversation(s) at a time, ${(elapsedMs / saves).toFixed(3)} ms per save`,
      );
    }
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (admin !== undefined) {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

async function run(storage: Storage, concurrency: number, forMs: number): Promise<{ saves: number; elapsedMs: number }> {
  const started = performance.now();
  let saves = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() - started < forMs) {
      const done = await conversation(storage);
      saves += done;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { saves, elapsedMs: performance.now() - started };
}

async function conversation(storage: Storage): Promise<number> {
  const now = new Date().toISOString();
  let record: ConversationRecord = {
    id: crypto.randomUUID(),
    botId: 'bench-bot',
    channel: 'chat',
    status: 'active',
    outcome: null,
    customer: 'web-visitor-42',
    startedAt: now,
    updatedAt: now,
    endedAt: null,
    turnCount: 0,
    historyKey: crypto.randomUUID(),
    state: initialState({ session: { language: 'en', account: 'checking', balanceRequested: true }, user: { name: 'Alex' } }),
    version: 1,
  };
  await storage.conversations.create(record, []);
  for (let seq = 1; seq <= savesPerConversation; seq++) {
    const at = new Date().toISOString();
    record = { ...record, version: record.version + 1, updatedAt: at, state: { ...record.state, turns: seq } };
    await storage.conversations.save(record, [
      {
        conversationId: record.id,
        seq,
        speaker: seq % 2 === 1 ? 'customer' : 'bot',
        text: 'I would like to know the balance of my checking account please',
        channel: 'chat',
        intent: 'check_balance',
        confidence: 0.93,
        entities: { account: 'checking' },
        sentiment: 0.1,
        at,
      },
    ]);
  }
  return savesPerConversation;
}

await main();
