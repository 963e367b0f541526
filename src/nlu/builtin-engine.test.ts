import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityDef, IntentDef } from '../core/bot.ts';
import { createBuiltinNlu, type BuiltinNluModel } from './builtin-engine.ts';
import type { TrainingData, UnderstandContext } from './port.ts';

const intents: IntentDef[] = [
  {
    name: 'check_balance',
    utterances: [
      'what is my balance',
      'check my balance',
      'how much money do I have',
      'how much is in my account',
      'tell me my account balance',
      'what is the balance on my checking account',
      'I would like to know my balance',
      'balance please',
      'how much do I have left in savings',
      'can you give me my current balance',
    ],
  },
  {
    name: 'pay_bill',
    utterances: [
      'pay my bill',
      'I want to pay my bill',
      'make a payment',
      'I need to make a payment on my bill',
      'pay 50 dollars',
      'can I pay my credit card bill',
      'pay the electricity bill tomorrow',
      'I would like to pay what I owe',
      'schedule a bill payment',
      'settle my bill',
    ],
  },
  {
    name: 'lost_card',
    utterances: [
      'I lost my card',
      'my card was stolen',
      'I cannot find my debit card',
      'block my card',
      'someone stole my wallet with my card',
      'report a lost card',
      'freeze my card please',
      'my credit card is missing',
      'I think I lost my bank card',
      'cancel my stolen card',
    ],
  },
  {
    name: 'agent',
    utterances: [
      'talk to an agent',
      'I want to speak to a person',
      'let me talk to a human',
      'representative',
      'get me a real person',
      'connect me to customer service',
      'operator please',
      'can I speak with someone',
      'transfer me to an agent',
      'I need a human being',
    ],
  },
];

const entities: Record<string, EntityDef> = {
  amount: { name: 'amount', type: 'money', sensitive: false },
  payDate: { name: 'payDate', type: 'date', sensitive: false },
  account: {
    name: 'account',
    type: 'list',
    sensitive: false,
    values: [
      { value: 'checking', synonyms: ['current account'] },
      { value: 'savings', synonyms: ['savings account'] },
    ],
  },
  pin: { name: 'pin', type: 'digits', sensitive: true, minLength: 4, maxLength: 4 },
};

const data: TrainingData = { language: 'en', intents, entities };
const now = new Date('2025-03-12T15:00:00Z');
const ctx = (expect: UnderstandContext['expect'] = { kind: 'intent' }): UnderstandContext => ({
  expect,
  now,
});

let model: BuiltinNluModel;
beforeAll(async () => {
  model = (await createBuiltinNlu({ timeZone: 'America/New_York' }).train(data)) as BuiltinNluModel;
});

describe('built-in NLU engine', () => {
  it.each([
    ['uh I lost my card', 'lost_card'],
    ["what's my balance", 'check_balance'],
    ['I want to pay my phone bill', 'pay_bill'],
    ['can I talk to a real human please', 'agent'],
  ])('understands %j as %s, with confidences ranked', async (text, intent) => {
    const u = await model.understand(text, ctx());
    expect(u.intents[0]?.name).toBe(intent);
    expect(u.intents[0]?.confidence).toBeGreaterThanOrEqual(model.threshold);
    const confidences = u.intents.map((i) => i.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('fills slots from the first utterance', async () => {
    const u = await model.understand('pay 50 dollars tomorrow from my savings account', ctx());
    expect(u.intents[0]?.name).toBe('pay_bill');
    expect(u.entities).toEqual([
      { name: 'amount', value: { amount: 50, currency: 'USD' }, text: '50 dollars' },
      { name: 'payDate', value: '2025-03-13', text: 'tomorrow' },
      { name: 'account', value: 'savings', text: 'savings account' },
    ]);
  });

  it('returns low-confidence intents instead of dropping them, below the bot threshold when out of scope', async () => {
    const u = await model.understand('what will the weather be like in Paris', ctx());
    expect(u.intents.length).toBeGreaterThan(0);
    expect(u.intents[0]?.confidence ?? 1).toBeLessThan(model.threshold);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
  });

  it('puts the expected entity first and answers confirmations', async () => {
    const pin = await model.understand('four one five two', ctx({ kind: 'entity', entity: entities.pin! }));
    expect(pin.entities[0]).toEqual({ name: 'pin', value: '4152', text: 'four one five two' });
    const amount = await model.understand('two hundred', ctx({ kind: 'entity', entity: entities.amount! }));
    expect(amount.entities[0]).toEqual({
      name: 'amount',
      value: { amount: 200, currency: 'USD' },
      text: 'two hundred',
    });
    const yes = await model.understand('yep that is right', ctx({ kind: 'confirm' }));
    expect(yes.entities[0]).toEqual({ name: 'confirm', value: true, text: 'that is right' });
  });

  it('reports an amendment with the new value', async () => {
    const u = await model.understand('no, make that two hundred', ctx({ kind: 'confirm' }));
    expect(u.amend).toBe(true);
    expect(u.entities).toEqual([
      { name: 'confirm', value: false, text: 'no' },
      { name: 'amount', value: { amount: 200, currency: 'USD' }, text: 'two hundred' },
    ]);
    expect((await model.understand('pay my bill', ctx())).amend).toBeUndefined();
  });

  it('splits two requests in one utterance, in the order said', async () => {
    const u = await model.understand('check my balance and then pay my bill', ctx());
    expect(u.multi?.map((m) => [m.name, m.text])).toEqual([
      ['check_balance', 'check my balance'],
      ['pay_bill', 'pay my bill'],
    ]);
    expect((await model.understand('I lost my card and my pin', ctx())).multi).toBeUndefined();
  });

  it('scores sentiment', async () => {
    expect(
      (await model.understand("I've been waiting forever, this is ridiculous", ctx())).sentiment,
    ).toBeLessThan(-0.3);
    expect((await model.understand('thanks so much, that is great', ctx())).sentiment).toBeGreaterThan(0.3);
  });

  it('is deterministic and honours an explicit threshold', async () => {
    const again = await createBuiltinNlu({ timeZone: 'America/New_York' }).train(data);
    const text = 'I want to pay my bill';
    expect(await again.understand(text, ctx())).toEqual(await model.understand(text, ctx()));
    const fixed = (await createBuiltinNlu({ threshold: 0.42 }).train(data)) as BuiltinNluModel;
    expect(fixed.threshold).toBe(0.42);
  });

  it('understands nothing of a bot without intents, but still extracts', async () => {
    const empty = await createBuiltinNlu().train({ language: 'en', intents: [], entities });
    const u = await empty.understand('pay 50 dollars', ctx());
    expect(u.intents).toEqual([]);
    expect(u.entities[0]).toMatchObject({ name: 'amount' });
  });

  it('refuses a bot whose regex entity does not compile, and stops when aborted', async () => {
    const broken = {
      ...data,
      entities: { ref: { name: 'ref', type: 'regex' as const, sensitive: false, pattern: '([A-Z' } },
    };
    await expect(createBuiltinNlu().train(broken)).rejects.toMatchObject({ code: 'PARLEY_ERR_BOT_INVALID' });
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(createBuiltinNlu().train(data, controller.signal)).rejects.toThrow('shutting down');
    await expect(model.understand('hi', { ...ctx(), signal: controller.signal })).rejects.toThrow(
      'shutting down',
    );
  });
});
