/**
 * The webhook adapter against the real conversation runtime (dialog engine, conversation service, SQLite in
 * memory) and the demo bank bot, with the simulator as the caller's IVR: every document is validated.
 * Understanding is an exact-phrase NLU behind the NLU port, so what is tested is the channel and the
 * runtime, not the classifier's ranking.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../bot/load.ts';
import type { Bot } from '../../core/bot.ts';
import { BotRegistry } from '../../runtime/bot-registry.ts';
import { ConversationService } from '../../runtime/conversation-service.ts';
import { channelHandoff } from '../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../runtime/service-caller.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { Storage } from '../../storage/port.ts';
import { exactPhraseNlu } from '../../../test/support/exact-phrase-nlu.ts';
import { expectValidVxml } from '../../../test/support/vxml-validate.ts';
import { startVxmlServer, type VxmlServer } from '../../../test/support/vxml-server.ts';
import { handleIvrHook } from './ivr-hook.ts';
import { runIvrCall, type IvrCallResult } from './simulator/run-ivr-call.ts';

const bankDir = fileURLToPath(new URL('../../../examples/bank', import.meta.url));
let bot: Bot;
let storage: Storage;
let service: ConversationService;
let server: VxmlServer;
const fetched: string[] = [];
const conversations: string[] = [];

beforeAll(async () => {
  bot = await loadBotFolder(bankDir);
  // The transcription grammar lets the caller speak freely, as the bank's menu expects.
  bot = { ...bot, settings: { ...bot.settings, ivr: { ...bot.settings.ivr, transcription: true } } };
  const bots = new BotRegistry(exactPhraseNlu);
  await bots.add(bot);
  storage = await openStorage({ url: 'sqlite::memory:' });
  service = new ConversationService({
    bots,
    storage,
    services: createHttpServiceCaller({ baseUrl: () => server.url }),
    handoff: channelHandoff,
    logger: pino({ level: 'silent' }),
  });
  server = await startVxmlServer({
    '/ivr/hooks/bank': async (request) => {
      const hookUrl = `${server.url}/ivr/hooks/bank?token=${request.params.token ?? ''}`;
      const response = await handleIvrHook({ bot, params: request.params, hookUrl }, service);
      if (response.conversationId && !conversations.includes(response.conversationId)) conversations.push(response.conversationId);
      return response.vxml;
    },
  });
}, 60_000);

afterAll(async () => {
  await server.close();
  await storage.close();
});

afterEach(async () => {
  await expectValidVxml(...fetched.splice(0));
});

async function call(script: string[], params: Record<string, string> = { from: 'tel:+15550100', to: 'bank' }): Promise<IvrCallResult> {
  const result = await runIvrCall({ url: `${server.url}/ivr/hooks/bank?token=t`, params, script });
  for (const d of result.documents) if (d.kind === 'document' && d.status === 200) fetched.push(d.body);
  return result;
}

describe('IVR webhook with the conversation runtime', () => {
  it('greets, answers a question, and hands the caller back for a transfer with the history key', async () => {
    const r = await call(['what are your opening hours', 'talk to an agent']);
    expect(r.prompts[0]).toContain('Welcome to Acme Bank.');
    expect(r.prompts.join(' ')).toContain('We are open Monday to Friday');
    expect(r.returned).toMatchObject({ endOfConversation: false, transfer: true, transferQueue: 'general', outcome: 'escalated', intent: 'talk_to_agent' });
    const stored = await storage.conversations.get(conversations.at(-1) ?? '');
    expect(stored?.channel).toBe('ivr');
    expect(stored?.customer).toBe('tel:+15550100');
    expect(r.returned?.historyKey).toBe(stored?.historyKey);
  });

  it("answers the caller's first words passed by the IVR in message, without the greeting", async () => {
    const r = await call(['talk to an agent'], { from: 'tel:+15550101', message: 'what are your opening hours' });
    expect(r.prompts[0]).toContain('We are open');
    expect(r.prompts.join(' ')).not.toContain('Welcome to Acme Bank');
  });

  it('collects a list entity by keys (the engine reads them as a position) and records the caller hanging up', async () => {
    const r = await call(['I lost my card', 'dtmf:2', 'hangup']);
    expect(r.prompts.join(' ')).toContain('Shall I block your credit card now?');
    const stored = await storage.conversations.get(conversations.at(-1) ?? '');
    expect(stored?.status).toBe('ended');
    expect(r.returned).toMatchObject({ hangup: true, endOfConversation: true });
  });

  it('lets the engine apply its no-input behaviour after the document ran out of retries', async () => {
    const r = await call(['silence', 'silence', 'silence', 'silence', 'silence']);
    expect(r.returned).toMatchObject({ endOfConversation: true, transfer: false });
    expect(r.prompts.at(-1)).toContain('Thank you for banking with Acme');
    const stored = await storage.conversations.get(conversations.at(-1) ?? '');
    expect(stored?.status).toBe('ended');
  });
});
