import { afterEach, describe, expect, it } from 'vitest';
import type { EntityDef } from '../../core/bot.ts';
import type { TrainingData, UnderstandContext } from '../port.ts';
import { createHttpNlu } from './http-nlu.ts';
import { startNluTestServer, type NluTestServer } from './nlu-test-server.ts';

const entities: Record<string, EntityDef> = {
  payDate: { name: 'payDate', type: 'date', sensitive: false },
};
const data: TrainingData = {
  language: 'en',
  intents: [{ name: 'pay_bill', utterances: ['pay my bill'] }],
  entities,
};
const now = new Date('2025-03-12T15:00:00Z');
const ctx = (expect: UnderstandContext['expect'] = { kind: 'intent' }): UnderstandContext => ({
  expect,
  now,
});

let server: NluTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('generic HTTP NLU adapter', () => {
  it('trains through trainUrl, then sends the documented request and ranks the answer', async () => {
    server = await startNluTestServer((r) =>
      r.url === '/train'
        ? { body: { model: 'm-7' } }
        : {
            body: {
              intents: [
                { name: 'check_balance', confidence: 0.2 },
                { name: 'pay_bill', confidence: 0.7 },
              ],
              entities: [{ name: 'payDate', value: '2025-03-14', text: 'Friday' }],
              sentiment: 0.4,
            },
          },
    );
    const model = await createHttpNlu({
      url: `${server.url}/understand`,
      trainUrl: `${server.url}/train`,
    }).train(data);
    const u = await model.understand('pay on Friday', ctx({ kind: 'entity', entity: entities.payDate! }));
    expect(server.received[0]?.body).toEqual(data);
    expect(server.received[1]?.body).toEqual({
      text: 'pay on Friday',
      language: 'en',
      model: 'm-7',
      expect: { kind: 'entity', entity: { name: 'payDate', type: 'date' } },
      now: '2025-03-12T15:00:00.000Z',
    });
    expect(u).toEqual({
      intents: [
        { name: 'pay_bill', confidence: 0.7 },
        { name: 'check_balance', confidence: 0.2 },
      ],
      entities: [{ name: 'payDate', value: '2025-03-14', text: 'Friday' }],
      sentiment: 0.4,
    });
  });

  it('completes a bare answer locally and can add every entity the engine missed', async () => {
    server = await startNluTestServer(() => ({ body: { intents: [{ name: 'pay_bill', confidence: 0.9 }] } }));
    const expectedOnly = await createHttpNlu({ url: server.url, timeZone: 'America/New_York' }).train(data);
    const asked = await expectedOnly.understand(
      'this Friday please',
      ctx({ kind: 'entity', entity: entities.payDate! }),
    );
    expect(asked.entities).toEqual([{ name: 'payDate', value: '2025-03-14', text: 'this Friday' }]);
    expect((await expectedOnly.understand('pay it tomorrow', ctx())).entities).toEqual([]);
    const all = await createHttpNlu({
      url: server.url,
      timeZone: 'America/New_York',
      localEntities: 'all',
    }).train(data);
    expect((await all.understand('pay it tomorrow', ctx())).entities).toEqual([
      { name: 'payDate', value: '2025-03-13', text: 'tomorrow' },
    ]);
  });

  it('rejects answers outside the contract and fails training when the engine does', async () => {
    server = await startNluTestServer((r) =>
      r.url === '/train' ? { status: 503, body: {} } : { body: { intents: [{ name: 'x', confidence: 7 }] } },
    );
    await expect(
      createHttpNlu({ url: server.url, trainUrl: `${server.url}/train` }).train(data),
    ).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: true,
    });
    const model = await createHttpNlu({ url: server.url }).train(data);
    await expect(model.understand('hi', ctx())).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: false,
    });
  });

  it('times out on a slow engine', async () => {
    server = await startNluTestServer(() => ({ delayMs: 1000, body: { intents: [] } }));
    const model = await createHttpNlu({ url: server.url, timeoutMs: 100 }).train(data);
    await expect(model.understand('hi', ctx())).rejects.toMatchObject({
      code: 'PARLEY_ERR_NLU',
      retryable: true,
    });
  });
});
