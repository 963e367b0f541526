import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../apps/logger.ts';
import { loadBotFolder } from '../bot/load.ts';
import { createBuiltinNlu } from '../nlu/builtin-engine.ts';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/port.ts';
import { BotRegistry } from './bot-registry.ts';
import { ConversationService, type TurnEvent } from './conversation-service.ts';
import { channelHandoff } from './handoff.ts';
import { IdleSweeper } from './idle-sweeper.ts';
import type { ServiceCaller } from './service-caller.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-idle-'));
let storage: Storage;
let bots: BotRegistry;
let nowMs = Date.parse('2026-11-21T10:00:00.000Z');
const now = () => new Date(nowMs);
const at = (hhmm: string) => (nowMs = Date.parse(`2026-11-21T${hhmm}:00.000Z`));
const noServices: ServiceCaller = {
  call: (requestId) => Promise.resolve({ type: 'serviceResult', requestId, ok: false, error: 'none here' }),
};
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  storage = await openStorage({ dataDir: dir });
  bots = new BotRegistry(createBuiltinNlu());
  const bank = await loadBotFolder('examples/bank');
  await bots.add(bank);
  await bots.add({ ...bank, id: 'bank-quick', settings: { ...bank.settings, idleTimeoutMinutes: 5 } });
  await bots.add({ ...bank, id: 'bank-never', settings: { ...bank.settings, idleTimeoutMinutes: 0 } });
}, 60_000);
afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const newService = () =>
  new ConversationService({ bots, storage, services: noServices, handoff: channelHandoff, logger, now });

describe('idle conversations', () => {
  it('end after their bot’s idle timeout as a hang-up would: resolved or abandoned, never one with an agent', async () => {
    const service = newService();
    const sweeper = new IdleSweeper({ bots, storage, service, logger, now });
    const events: TurnEvent[] = [];
    service.subscribe((e) => events.push(e));
    const start = async (botId: string, ...texts: string[]) => {
      const { conversation } = await service.start(botId, { channel: 'chat' });
      for (const text of texts) await service.send(conversation.id, { text });
      return conversation.id;
    };

    at('10:00');
    const answered = await start('bank', 'what are your opening hours');
    const silent = await start('bank');
    const talking = await start('bank');
    const withAgent = await start('bank', 'talk to an agent');
    const never = await start('bank-never');
    const quick = await start('bank-quick');
    const status = async (id: string) => {
      const r = await storage.conversations.get(id);
      return `${r?.status ?? '?'}${r?.outcome ? ` ${r.outcome}` : ''}`;
    };
    expect(await status(withAgent)).toBe('escalated escalated');

    at('10:04');
    expect(await sweeper.sweep()).toBe(0);
    at('10:06');
    expect(await sweeper.sweep()).toBe(1);
    expect(await status(quick)).toBe('ended abandoned');

    at('10:20');
    await service.send(talking, { text: 'when are you open on saturday' });
    at('10:31');
    events.length = 0;
    expect(await sweeper.sweep()).toBe(2);
    expect([
      await status(answered),
      await status(silent),
      await status(talking),
      await status(withAgent),
      await status(never),
    ]).toEqual(['ended resolved', 'ended abandoned', 'active', 'escalated escalated', 'active']);
    const ended = await storage.conversations.get(silent);
    expect(ended?.endedAt).toBe('2026-11-21T10:31:00.000Z');
    expect((await storage.conversations.turns(silent)).at(-1)).toMatchObject({
      speaker: 'system',
      text: '[idle]',
      at: '2026-11-21T10:31:00.000Z',
    });
    // Live views (the chat socket, the supervisor) hear of it as of any other turn.
    expect(events.map((e) => [e.conversation.id, e.conversation.status])).toEqual(
      expect.arrayContaining([
        [answered, 'ended'],
        [silent, 'ended'],
      ]),
    );
    expect(await sweeper.sweep()).toBe(0);

    // A customer who comes back to an ended conversation is told so.
    await expect(service.send(silent, { text: 'hello?' })).rejects.toMatchObject({
      code: 'PARLEY_ERR_CONVERSATION_ENDED',
    });
    // A cut-off older than the last turn ends nothing: the customer wrote since the sweep looked.
    expect(await service.endIfIdle(talking, '2026-11-21T10:15:00.000Z')).toBeUndefined();
    expect(await status(talking)).toBe('active');

    at('10:51');
    expect(await sweeper.sweep()).toBe(1);
    expect(await status(talking)).toBe('ended resolved');
    expect(await status(never)).toBe('active');
  });

  it('sweeps every quarter of the shortest timeout, between 1 s and 60 s', async () => {
    const service = newService();
    expect(new IdleSweeper({ bots, storage, service, logger }).intervalMs).toBe(60_000);
    const few = new BotRegistry(createBuiltinNlu());
    const bank = await loadBotFolder('examples/bank');
    await few.add({ ...bank, settings: { ...bank.settings, idleTimeoutMinutes: 2 } });
    expect(new IdleSweeper({ bots: few, storage, service, logger }).intervalMs).toBe(30_000);
    await few.add({ ...bank, id: 'fast', settings: { ...bank.settings, idleTimeoutMinutes: 0.01 } });
    expect(new IdleSweeper({ bots: few, storage, service, logger }).intervalMs).toBe(1_000);
  }, 60_000);
});
