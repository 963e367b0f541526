import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatRoutingProblems, readRouting } from './routing-config.ts';
import { route, routeIncoming, surveyFor, type RoutingFacts } from './rules.ts';
import type { RoutingModel } from './model.ts';

/** The sample of the Azure seed, as written there: three queues, three rules in order, one context variable. */
const seedSample = `
workstreams:
  - id: ChatWorkStream
    channel: chat
    rules:
      - name: BotRule
        if: not exists(context.BotHandoffTopic)
        queue: BotQueue
      - name: CreditCardRule
        if: context.BotHandoffTopic == 'CreditCard'
        queue: CreditCardQueue
      - name: HomeLoanRule
        if: context.BotHandoffTopic == 'HomeLoan'
        queue: HomeLoanQueue
queues:
  - id: BotQueue
  - id: CreditCardQueue
  - id: HomeLoanQueue
bots:
  - id: bank
    queues: [BotQueue]
agents:
  - { id: carla, queues: [CreditCardQueue] }
  - { id: hugo, queues: [HomeLoanQueue] }
`;

function load(text: string): RoutingModel {
  const r = readRouting(parse(text));
  if (!r.model) throw new Error(formatRoutingProblems(r.problems));
  return r.model;
}

function facts(extra: Partial<RoutingFacts>): RoutingFacts {
  return { channel: 'chat', bot: 'bank', entities: {}, context: {}, session: {}, user: {}, customer: {}, escalated: true, ...extra };
}

describe('routing rules', () => {
  const model = load(seedSample);

  it('sends a new chat to the bot first (BotRule → BotQueue, whose member is the bot)', () => {
    const r = routeIncoming(model, { channel: 'chat', entities: {}, context: {}, session: {}, user: {}, customer: {} });
    expect(r).toMatchObject({ bot: 'bank', queue: { id: 'BotQueue' }, rule: { name: 'BotRule' } });
  });

  it('routes the bot’s escalation by the context variable it set, first match winning', () => {
    expect(route(model, facts({ context: { BotHandoffTopic: 'CreditCard' } }))).toMatchObject({ queue: { id: 'CreditCardQueue' }, rule: { name: 'CreditCardRule' } });
    expect(route(model, facts({ context: { BotHandoffTopic: 'HomeLoan' } }))).toMatchObject({ queue: { id: 'HomeLoanQueue' }, rule: { name: 'HomeLoanRule' } });
  });

  it('tests intent, entities, channel and customer attributes; falls back to the queue the bot asked for', () => {
    const m = load(`
workstreams:
  - id: chat
    channel: chat
    rules:
      - { name: gold, if: "customer.tier == 'gold'", queue: vip, skills: [senior] }
      - { name: cards, if: "intent == 'lost_card' and exists(entities.cardType)", queue: cards }
  - id: phone
    channel: voice
    rules:
      - { name: all-calls, if: "true", queue: phone }
queues: [{ id: general }, { id: vip, skills: [vip] }, { id: cards }, { id: phone }]
`);
    expect(route(m, facts({ customer: { tier: 'gold' } }))).toMatchObject({ queue: { id: 'vip' }, skills: ['vip', 'senior'] });
    expect(route(m, facts({ intent: 'lost_card', entities: { cardType: 'credit' } }))?.queue.id).toBe('cards');
    expect(route(m, facts({ intent: 'lost_card', queue: 'general' }))).toMatchObject({ queue: { id: 'general' } });
    expect(route(m, facts({ intent: 'lost_card', queue: 'general' }))?.rule).toBeUndefined();
    expect(route(m, facts({ channel: 'ivr' }))?.queue.id).toBe('phone');
    expect(route(m, facts({ queue: 'nowhere' }))).toBeUndefined();
  });

  it('refuses a model with unknown queues, bad conditions, overflow loops or bad hours, saying where', () => {
    const r = readRouting(
      parse(`
workstreams:
  - { id: w, channel: chat, rules: [{ name: r, if: "intent ==", queue: ghost }] }
queues:
  - { id: a, overflow: { queue: b } }
  - { id: b, overflow: { queue: a }, hours: { timezone: Mars/Base, weekly: { mon: ['18:00-09:00'] } } }
agents: [{ id: x, queues: [c] }]
`),
    );
    const text = formatRoutingProblems(r.problems);
    expect(text).toContain("workstreams[0].rules[0].queue: unknown queue 'ghost'");
    expect(text).toContain('workstreams[0].rules[0].if: unexpected end of expression');
    expect(text).toContain("queues[0].overflow: overflow from 'a' comes back to it");
    expect(text).toContain("queues[1].hours.timezone: unknown time zone 'Mars/Base'");
    expect(text).toContain("queues[1].hours.weekly.mon[0]: '18:00-09:00' is not a range");
    expect(text).toContain("agents[0].queues[0]: unknown queue 'c'");
    expect(readRouting({ queues: [{ id: 'q', colour: 'red' }] }).problems.length).toBeGreaterThan(0);
  });
});

describe('post-conversation surveys', () => {
  it('picks the first survey rule that holds when the agent ends', () => {
    const m = load(`
queues: [{ id: q }]
surveys:
  - { if: "disposition == 'spam'", bot: nobody }
  - { if: "channel == 'chat'", bot: survey }
`);
    expect(surveyFor(m, { ...facts({}), disposition: 'resolved' })?.bot).toBe('survey');
    expect(surveyFor(m, { ...facts({ channel: 'voice' }), disposition: 'resolved' })).toBeUndefined();
  });
});
