import { describe, expect, it } from 'vitest';
import type { RoutingModel } from './model.ts';
import { place } from './placement.ts';
import { testModel } from './test-model.ts';

const monday10 = new Date('2025-03-03T10:00:00Z');
const sunday10 = new Date('2025-03-02T10:00:00Z');

function model(): RoutingModel {
  const m = testModel({
    queues: [
      { id: 'day', hours: { timezone: 'UTC', weekly: { mon: ['08:00-18:00'] } }, overflow: { queue: 'night', when: ['closed'] } },
      { id: 'night', overflow: { queue: 'external', when: ['no-agents'] } },
      { id: 'external', connector: 'cc' },
      { id: 'phones', connector: 'pbx' },
      { id: 'host', connector: 'channel' },
      { id: 'lonely' },
    ],
  });
  m.connectors = [
    { kind: 'webhook', id: 'cc', url: 'http://127.0.0.1:1/', secret: 's', maxAttempts: 1, initialBackoffMs: 1 },
    { kind: 'sip', id: 'pbx', target: 'sip:queue@pbx.example', headers: {} },
  ];
  return m;
}

const q = (m: RoutingModel, id: string) => m.queues.find((x) => x.id === id)!;

describe('placing a customer in a queue', () => {
  it('takes an open, staffed queue', () => {
    const m = model();
    expect(place(m, q(m, 'day'), 'chat', monday10, () => true)).toMatchObject({ ok: true, queue: { id: 'day' }, overflowedFrom: [] });
  });

  it('follows the overflow chain for the reasons each overflow lists', () => {
    const m = model();
    // closed on Sunday → night; nobody signed in there → the external contact center.
    expect(place(m, q(m, 'day'), 'chat', sunday10, () => false)).toMatchObject({ ok: true, queue: { id: 'external' }, connector: { id: 'cc', kind: 'webhook' }, overflowedFrom: ['day', 'night'] });
    // open but nobody signed in: 'day' overflows only when closed.
    expect(place(m, q(m, 'day'), 'chat', monday10, () => false)).toEqual({ ok: false, queue: q(m, 'day'), reason: 'no-agents' });
    expect(place(m, q(m, 'lonely'), 'chat', monday10, () => false)).toMatchObject({ ok: false, reason: 'no-agents' });
  });

  it('uses SIP and the channel’s own transfer only for voice', () => {
    const m = model();
    expect(place(m, q(m, 'phones'), 'voice', monday10, () => false)).toMatchObject({ ok: true, connector: { kind: 'sip' } });
    expect(place(m, q(m, 'phones'), 'chat', monday10, () => true)).toMatchObject({ ok: false, reason: 'connector-unusable' });
    expect(place(m, q(m, 'host'), 'voice', monday10, () => false)).toMatchObject({ ok: true, connector: { id: 'channel' } });
    expect(place(m, q(m, 'host'), 'chat', monday10, () => false)).toMatchObject({ ok: false });
  });
});
