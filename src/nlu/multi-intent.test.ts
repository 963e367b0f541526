import { describe, expect, it } from 'vitest';
import { trainClassifier } from './classifier/index.ts';
import { detectMultiIntent, splitRequests } from './multi-intent.ts';

const parts = (text: string): string[] => splitRequests(text).map((p) => p.text);

describe('splitting requests', () => {
  it.each([
    ['check my balance and then pay my bill', ['check my balance', 'pay my bill']],
    [
      'I want to check my balance. Also I need to update my address',
      ['I want to check my balance', 'I need to update my address'],
    ],
    [
      'check my balance, then report a lost card, and then talk to an agent',
      ['check my balance', 'report a lost card', 'talk to an agent'],
    ],
    ['pay my bill and after that block my card', ['pay my bill', 'block my card']],
  ])('splits %j', (text, expected) => {
    expect(parts(text)).toEqual(expected);
  });

  it.each(['I lost my card and pin', 'pay my bill', 'uh so and then pay'])(
    'keeps %j as one request',
    (text) => {
      expect(parts(text)).toHaveLength(1);
    },
  );

  it('gives offsets into the utterance', () => {
    const text = 'check my balance and then pay my bill';
    for (const p of splitRequests(text)) expect(text.slice(p.start, p.end)).toBe(p.text);
  });
});

describe('several requests in one utterance', () => {
  const classifier = trainClassifier(
    [
      [
        'check_balance',
        ['what is my balance', 'check my balance', 'how much money do I have', 'balance of my account'],
      ],
      ['pay_bill', ['pay my bill', 'make a payment', 'I want to pay what I owe', 'pay the phone bill']],
      ['lost_card', ['I lost my card', 'my card was stolen', 'block my card', 'report a lost card']],
      ['update_address', ['update my address', 'I moved house', 'change my address', 'new home address']],
    ].flatMap(([intent, texts]) => (texts as string[]).map((text) => ({ text, intent: intent as string }))),
  );
  const classify = (text: string) => classifier.predict(text);

  it('returns each request with its intent and words, in the order said', () => {
    const multi = detectMultiIntent('I lost my card and also I need to update my address', classify, {
      threshold: 0.5,
    });
    expect(multi?.map((m) => [m.name, m.text])).toEqual([
      ['lost_card', 'I lost my card'],
      ['update_address', 'I need to update my address'],
    ]);
    expect(multi?.every((m) => m.confidence >= 0.5)).toBe(true);
  });

  it('reports nothing for one request, a repeated request or parts under the threshold', () => {
    expect(detectMultiIntent('pay my bill', classify, { threshold: 0.5 })).toBeUndefined();
    expect(
      detectMultiIntent('pay my bill and then pay the phone bill', classify, { threshold: 0.5 }),
    ).toBeUndefined();
    expect(
      detectMultiIntent('check my balance and then pay my bill', classify, { threshold: 1.01 }),
    ).toBeUndefined();
  });

  it('stops at the most requests asked for', () => {
    const text = 'check my balance, then pay my bill, and then block my card';
    expect(detectMultiIntent(text, classify, { threshold: 0.5 })).toHaveLength(3);
    expect(detectMultiIntent(text, classify, { threshold: 0.5, maxRequests: 2 })).toHaveLength(2);
  });
});
