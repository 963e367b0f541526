import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../apps/logger.ts';
import { loadBotFolder } from '../bot/load.ts';
import { createBuiltinNlu } from '../nlu/builtin-engine.ts';
import { createHttpNlu } from '../nlu/external/http-nlu.ts';
import { startNluTestServer } from '../nlu/external/nlu-test-server.ts';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/port.ts';
import { BotRegistry } from './bot-registry.ts';
import { ConversationService } from './conversation-service.ts';
import { channelHandoff } from './handoff.ts';
import type { ServiceCaller } from './service-caller.ts';
import { uuidTime } from './time-ordered-id.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-runtime-'));
let storage: Storage;
let bots: BotRegistry;
const failingServices: ServiceCaller = {
  call: (requestId) => Promise.resolve({ type: 'serviceResult', requestId, ok: false, error: 'connection refused' }),
};

function service(): ConversationService {
  return new ConversationService({ bots, storage, services: failingServices, handoff: channelHandoff, logger: createLogger({ level: 'silent' }) });
}

beforeAll(async () => {
  storage = await openStorage({ dataDir: dir });
  bots = new BotRegistry(createBuiltinNlu());
  await bots.add(await loadBotFolder('examples/bank'));
});
afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('conversation service', () => {
  it('keeps one ordered transcript when two processes take turns on the same conversation', async () => {
    const a = service();
    const b = service();
    const { conversation } = await a.start('bank', { channel: 'chat' });
    await b.send(conversation.id, { text: 'what are your opening hours' });
    // `a` still holds the version it created: its save is refused, and it runs the turn again on fresh data.
    const r = await a.send(conversation.id, { text: 'I want to make a payment' });
    expect(r.actions.some((x) => x.type === 'say' && x.prompt.text.includes('How much'))).toBe(true);
    const turns = await storage.conversations.turns(conversation.id);
    expect(turns.map((t) => t.seq)).toEqual(turns.map((_, i) => i + 1));
    expect(turns.filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['what are your opening hours', 'I want to make a payment']);
  });

  it('gives conversations time-ordered ids: each carries the millisecond it started, and later ones sort after', async () => {
    const s = service();
    const first = (await s.start('bank', { channel: 'chat' })).conversation;
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = (await s.start('bank', { channel: 'chat' })).conversation;
    expect(uuidTime(first.id)).toBe(Date.parse(first.startedAt));
    expect(uuidTime(second.id)).toBe(Date.parse(second.startedAt));
    expect(first.id < second.id).toBe(true);
  });

  it('sends the customer down the error path when a service cannot be reached', async () => {
    const s = service();
    const { conversation } = await s.start('bank', { channel: 'chat' });
    await s.send(conversation.id, { text: 'I lost my card' });
    await s.send(conversation.id, { text: 'debit' });
    const r = await s.send(conversation.id, { text: 'yes' });
    const said = r.actions.flatMap((x) => (x.type === 'say' ? [x.prompt.text] : [])).join(' ');
    expect(said).toContain('something went wrong');
    expect(r.actions.some((x) => x.type === 'escalate')).toBe(true);
  });

  it('sends the customer down the error path when the NLU engine fails, keeping their words', async () => {
    const down = await startNluTestServer(() => ({ status: 503, body: 'maintenance' }));
    try {
      const failing = new BotRegistry(createHttpNlu({ url: down.url, timeoutMs: 500 }));
      await failing.add(await loadBotFolder('examples/bank'));
      const s = new ConversationService({ bots: failing, storage, services: failingServices, handoff: channelHandoff, logger: createLogger({ level: 'silent' }) });
      const { conversation } = await s.start('bank', { channel: 'chat' });
      const r = await s.send(conversation.id, { text: 'what are your opening hours' });
      const said = r.actions.flatMap((x) => (x.type === 'say' ? [x.prompt.text] : [])).join(' ');
      expect(said).toContain('something went wrong');
      expect(r.actions.some((x) => x.type === 'escalate')).toBe(true);
      expect(down.received).toHaveLength(1);
      const customer = (await storage.conversations.turns(conversation.id)).filter((t) => t.speaker === 'customer');
      expect(customer).toMatchObject([{ text: 'what are your opening hours', intent: null }]);
    } finally {
      await down.close();
    }
  });

  it('masks the PIN in the stored transcript and in the entities of the turn', async () => {
    const s = service();
    const { conversation } = await s.start('bank', { channel: 'chat' });
    await s.send(conversation.id, { text: 'check my balance' });
    await s.send(conversation.id, { text: '12345678' });
    await s.send(conversation.id, { text: 'my pin is 9876' });
    const stored = JSON.stringify(await storage.conversations.turns(conversation.id));
    expect(stored).not.toContain('9876');
    expect(stored).toContain('12345678');
  });

  it('records an event at a sensitive prompt as it is, not masked', async () => {
    const s = service();
    const { conversation } = await s.start('bank', { channel: 'voice' });
    await s.send(conversation.id, { text: 'check my balance' });
    await s.send(conversation.id, { digits: '12345678' });
    await s.send(conversation.id, { event: 'hangup' });
    const turns = await storage.conversations.turns(conversation.id);
    expect(turns.at(-1)).toMatchObject({ speaker: 'system', text: '[hangup]' });
  });
});
