import { afterEach, describe, expect, it } from 'vitest';
import type { EntityDef } from '../../core/bot.ts';
import type { TrainingData, UnderstandContext } from '../port.ts';
import { startNluTestServer, type NluTestServer } from './nlu-test-server.ts';
import { createRasaNlu, parseUrl } from './rasa.ts';

const entities: Record<string, EntityDef> = {
  amount: { name: 'amount', type: 'money', sensitive: false },
  pin: { name: 'pin', type: 'digits', sensitive: true, minLength: 4, maxLength: 4 },
};
const data: TrainingData = { language: 'en', intents: [], entities };
const ctx = (expect: UnderstandContext['expect'] = { kind: 'intent' }): UnderstandContext => ({
  expect,
  now: new Date('2025-03-12T15:00:00Z'),
});

/** Answers like `rasa run --enable-api` does for /model/parse, finding "N dollars" as an `amount`. */
function rasaLike(text: string): unknown {
  const m = /(\d+) dollars/u.exec(text);
  const paying = /pay/u.test(text);
  const ranking = paying
    ? [
        { name: 'pay_bill', confidence: 0.91 },
        { name: 'check_balance', confidence: 0.06 },
      ]
    : [
        { name: 'check_balance', confidence: 0.55 },
        { name: 'pay_bill', confidence: 0.4 },
      ];
  return {
    text,
    intent: ranking[0],
    intent_ranking: ranking,
    entities: m
      ? [
          {
            entity: 'amount',
            value: m[1],
            start: m.index,
            end: m.index + m[0].length,
            confidence_entity: 0.98,
            extractor: 'DIETClassifier',
          },
        ]
      : [],
  };
}

let server: NluTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Rasa NLU adapter', () => {
  it('posts the text to /model/parse and maps intents and entities', async () => {
    server = await startNluTestServer((r) => ({ body: rasaLike((r.body as { text: string }).text) }));
    const model = await createRasaNlu({ url: server.url, token: 't0k' }).train(data);
    const u = await model.understand('I want to pay 50 dollars', ctx());
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      url: '/model/parse?token=t0k',
      body: { text: 'I want to pay 50 dollars' },
    });
    expect(u.intents).toEqual([
      { name: 'pay_bill', confidence: 0.91 },
      { name: 'check_balance', confidence: 0.06 },
    ]);
    expect(u.entities).toEqual([{ name: 'amount', value: '50', text: '50 dollars' }]);
    expect(u.sentiment).toBe(0);
  });

  it('completes what Rasa cannot know: the expected entity, sentiment and amendments', async () => {
    server = await startNluTestServer((r) => ({ body: rasaLike((r.body as { text: string }).text) }));
    const model = await createRasaNlu({ url: server.url }).train(data);
    const pin = await model.understand('four one five two', ctx({ kind: 'entity', entity: entities.pin! }));
    expect(pin.entities[0]).toEqual({ name: 'pin', value: '4152', text: 'four one five two' });
    const confirm = await model.understand(
      'no, make that 200 dollars, this is ridiculous',
      ctx({ kind: 'confirm' }),
    );
    expect(confirm.entities[0]).toEqual({ name: 'confirm', value: false, text: 'no' });
    expect(confirm.entities[1]).toMatchObject({ name: 'amount', value: '200' });
    expect(confirm.amend).toBe(true);
    expect(confirm.sentiment).toBeLessThan(0);
  });

  it('accepts the minimal answer of an intent-only model and rejects a foreign shape', async () => {
    server = await startNluTestServer((r) =>
      r.url.startsWith('/a/')
        ? { body: { text: 'x', intent: { name: 'greet', confidence: 0.8 } } }
        : { body: { intents: 'nope' } },
    );
    const minimal = await createRasaNlu({ url: `${server.url}/a` }).train(data);
    expect((await minimal.understand('hello', ctx())).intents).toEqual([{ name: 'greet', confidence: 0.8 }]);
    const wrong = await createRasaNlu({ url: `${server.url}/b/` }).train(data);
    await expect(wrong.understand('hello', ctx())).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: false,
    });
  });

  it('fails retryably when Rasa is down or slow', async () => {
    server = await startNluTestServer((r) =>
      r.url.startsWith('/slow') ? { delayMs: 1000, body: {} } : { status: 500, body: {} },
    );
    const failing = await createRasaNlu({ url: server.url }).train(data);
    await expect(failing.understand('hi', ctx())).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: true,
    });
    const slow = await createRasaNlu({ url: `${server.url}/slow`, timeoutMs: 100 }).train(data);
    await expect(slow.understand('hi', ctx())).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: true,
    });
  });

  it('builds the parse URL under a base path', () => {
    expect(parseUrl('http://rasa:5005')).toBe('http://rasa:5005/model/parse');
    expect(parseUrl('http://gw/rasa/', 'a b')).toBe('http://gw/rasa/model/parse?token=a+b');
  });
});
