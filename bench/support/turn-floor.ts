import Fastify from 'fastify';
import { demoBotsDir } from '../../src/apps/server/config.ts';
import { loadBotFolder } from '../../src/bot/load.ts';
import type { Channel } from '../../src/core/bot.ts';
import { initialState } from '../../src/core/state.ts';
import { createBuiltinNlu } from '../../src/nlu/builtin-engine.ts';
import { openStorage } from '../../src/storage/open-storage.ts';
import type { ConversationRecord } from '../../src/storage/port.ts';
import { benchDataDir } from './bench-data-dir.ts';
import { benchVxmlDocument } from './vxml-doc.ts';

/**
 * The floor under a turn: the baseline routes (`bare-fastify.ts`, `bare-vxml.ts`: same paths, same answers)
 * plus the two things every turn must do whatever runs the dialog: understand the caller's words with the
 * built-in NLU (trained on the demo bank bot, warmed up as `parley serve` does) and persist the turn, the
 * conversation saved with the customer's and the bot's turns through the storage port (SQLite, group
 * commit). No dialog, no templates, no validation, no authentication. The benchmarks print Parley's
 * throughput over this floor's (what Parley's own runtime costs on top) and this floor's
 * over the bare route's (as far as a turn understood by this NLU and persisted can get on the machine).
 *
 * Prints `URL …` and `DATA …` (its data directory, removed on SIGTERM).
 */
const bot = await loadBotFolder(`${demoBotsDir}/bank`);
const model = await createBuiltinNlu({ warmUp: true }).train({
  language: bot.language,
  intents: bot.intents,
  entities: bot.entities,
});
const data = benchDataDir('parley-floor-');
const storage = await openStorage({ dataDir: data.dir });
const answer = 'We are open Monday to Friday, 8 am to 8 pm, and Saturday, 9 am to 1 pm.';
const records = new Map<string, ConversationRecord>();

/** Understands `text` and stores it with the bot's answer in conversation `id`; gives the intent found. */
async function turn(id: string, channel: Channel, text: string): Promise<string | null> {
  const now = new Date();
  const understood = await model.understand(text, { expect: { kind: 'intent' }, now });
  const intent = understood.intents[0];
  const at = now.toISOString();
  let record = records.get(id);
  if (record === undefined) {
    record = {
      id,
      botId: bot.id,
      channel,
      status: 'active',
      outcome: null,
      customer: null,
      startedAt: at,
      updatedAt: at,
      endedAt: null,
      historyKey: `${id}-history`,
      state: initialState({}),
      turnCount: 0,
      version: 1,
    };
    await storage.conversations.create(record, []);
  }
  const saved: ConversationRecord = {
    ...record,
    updatedAt: at,
    turnCount: record.turnCount + 2,
    version: record.version + 1,
  };
  records.set(id, saved);
  const entities =
    understood.entities.length > 0
      ? Object.fromEntries(understood.entities.map((e) => [e.name, e.value]))
      : null;
  await storage.conversations.save(saved, [
    {
      conversationId: id,
      seq: record.turnCount + 1,
      speaker: 'customer',
      text,
      channel,
      intent: intent?.name ?? null,
      confidence: intent?.confidence ?? null,
      entities,
      sentiment: understood.sentiment ?? null,
      at,
    },
    {
      conversationId: id,
      seq: record.turnCount + 2,
      speaker: 'bot',
      text: answer,
      channel,
      intent: null,
      confidence: null,
      entities: null,
      sentiment: null,
      at,
    },
  ]);
  return intent?.name ?? null;
}

const app = Fastify();
app.post('/echo/:id', async (req) => {
  const id = (req.params as { id: string }).id;
  const intent = await turn(id, 'chat', String((req.body as { text?: string }).text));
  return { id, intent, messages: [{ text: answer }], ended: false };
});
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});
app.route({
  method: ['GET', 'POST'],
  url: '/ivr/hooks/:botId',
  handler: async (req, reply) => {
    const session = String((req.query as { session?: string }).session);
    await turn(
      `ivr-${session}`,
      'ivr',
      String((req.body as { userinput?: string } | undefined)?.userinput ?? ''),
    );
    return reply.type('application/voicexml+xml; charset=utf-8').send(benchVxmlDocument);
  },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(
  `URL http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\nDATA ${data.dir}\n`,
);
data.closeOnSigterm({ close: () => app.close().then(() => storage.close()) });
