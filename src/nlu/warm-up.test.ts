import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../core/bot.ts';
import type { Expectation } from '../core/action.ts';
import { createBuiltinNlu } from './builtin-engine.ts';
import { understandEntities } from './entities/understand.ts';
import { Utterance } from './entities/utterance.ts';
import type { TrainingData } from './port.ts';
import { warmUp, WARM_UP_UTTERANCES } from './warm-up.ts';

const now = new Date('2026-03-12T15:00:00Z');
const entities: Record<string, EntityDef> = {
  amount: { name: 'amount', type: 'money', sensitive: false },
  pin: { name: 'pin', type: 'digits', sensitive: true, minLength: 4, maxLength: 4 },
};
const data: TrainingData = {
  language: 'en',
  entities,
  intents: [
    {
      name: 'hours',
      utterances: ['what are your opening hours', 'when are you open', 'what time do you close on saturday'],
    },
    { name: 'pay', utterances: ['pay my bill', 'make a payment of 50 dollars', 'I want to pay tomorrow'] },
    { name: 'agent', utterances: ['talk to an agent', 'let me speak to a person', 'get me a human'] },
  ],
};

describe('NLU warm-up', () => {
  it('finds every system entity type, an amendment and a lone weekday in its utterances', () => {
    const types = new Set<string>();
    let amended = false;
    for (const text of WARM_UP_UTTERANCES) {
      const found = understandEntities(new Utterance(text), { kind: 'intent' }, now, {}, {});
      for (const e of found.entities) types.add(e.name);
      amended ||= found.amend;
    }
    expect([...types].sort()).toEqual(['date', 'email', 'money', 'phone', 'time']);
    expect(amended).toBe(true);
    const weekday = understandEntities(
      new Utterance('are you open on saturday'),
      { kind: 'intent' },
      now,
      {},
      {},
    );
    expect(weekday.entities).toEqual([expect.objectContaining({ name: 'date', value: '2026-03-14' })]);
  });

  it('runs each utterance twice, unasked and asked for every entity and a confirmation', () => {
    const calls = new Map<string, number>();
    warmUp(
      (text, asked: Expectation) => {
        const key = `${asked.kind === 'entity' ? asked.entity.name : asked.kind}|${text}`;
        calls.set(key, (calls.get(key) ?? 0) + 1);
      },
      ['own words'],
      entities,
    );
    for (const text of WARM_UP_UTTERANCES) {
      for (const asked of ['intent', 'confirm', 'amount', 'pin'])
        expect(calls.get(`${asked}|${text}`)).toBe(2);
    }
    expect(calls.get('intent|own words')).toBe(2);
  });

  it('leaves what a model understands unchanged', async () => {
    const cold = await createBuiltinNlu().train(data);
    const warm = await createBuiltinNlu({ warmUp: true }).train(data);
    for (const text of ['pay 80 dollars on friday', 'are you open on sunday', '1234', 'agent please']) {
      for (const asked of [{ kind: 'intent' }, { kind: 'entity', entity: entities.pin! }] as Expectation[]) {
        expect(await warm.understand(text, { expect: asked, now })).toEqual(
          await cold.understand(text, { expect: asked, now }),
        );
      }
    }
  });
});
